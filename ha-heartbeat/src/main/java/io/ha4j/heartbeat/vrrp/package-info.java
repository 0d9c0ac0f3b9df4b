/**
 * VRRPv3 (RFC 5798) wire format, so that an ha4j member can join a keepalived VRRP group.
 *
 * <p>VRRPv3 has no authentication (RFC 5798 section 9 removed it): anyone on the link can send an
 * advertisement with priority 255 and take the virtual addresses. The TTL/hop-limit 255 check
 * keeps off-link senders out, nothing more. ha4j's own heartbeat protocol, with its HMAC, stays the
 * secure default; use VRRPv3 to replace keepalived nodes one at a time.
 */
@NullMarked
package io.ha4j.heartbeat.vrrp;

import org.jspecify.annotations.NullMarked;
