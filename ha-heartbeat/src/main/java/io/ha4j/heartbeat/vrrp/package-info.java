/**
 * VRRPv3 (RFC 5798) wire format, so that an ha4j member can join a keepalived VRRP group and
 * replace keepalived nodes one at a time.
 *
 * <p>One state machine, two wire formats: {@link io.ha4j.heartbeat.VrrpElection} runs the
 * same election over ha4j's authenticated format (the default) or over {@link
 * io.ha4j.heartbeat.vrrp.VrrpWireFormat}, sent through the raw-socket {@link
 * io.ha4j.heartbeat.vrrp.linux.VrrpTransport} (IP protocol 112, IPv4 or IPv6, multicast
 * 224.0.0.18 / ff02::12 or unicast peers, TTL / hop limit 255 sent and checked):
 *
 * <pre>{@code
 * HeartbeatConfig config = HeartbeatConfig.builder()
 *     .groupId(51)                                   // the VRID
 *     .nodeId(VrrpWireFormat.nodeId(primary))        // identity on the wire: the primary address
 *     .priority(150).advertisementInterval(Duration.ofSeconds(1))  // whole centiseconds
 *     .key(1, new byte[16])                          // required by the config, unused by VRRP
 *     .virtualAddress(VirtualAddress.of(vip, 24, "eth0"))
 *     .destination(new InetSocketAddress(VrrpCodec.group4(), 0))  // or each unicast peer, port 0
 *     .build();
 * VrrpTransport transport = VrrpTransport.open("eth0", AddressFamily.INET, true, scheduler);
 * Election election = new VrrpElection(config, VrrpWireFormat.of(config, primary, false),
 *     transport, scheduler);
 * }</pre>
 *
 * <p>keepalived settings that match: {@code global_defs { vrrp_version 3 }} (keepalived's default
 * is 2, which this package does not speak), the same {@code virtual_router_id}, {@code advert_int}
 * and VIP list; {@code unicast_src_ip}/{@code unicast_peer} for unicast; {@code
 * old_unicast_checksum} on both sides or neither. Not supported: VRRPv2, {@code use_vmac} (the
 * virtual MAC), keepalived's authentication extensions of VRRPv2.
 *
 * <p><b>Security.</b> VRRPv3 has no authentication (RFC 5798 section 9 removed it): anyone on the
 * link can send an advertisement with priority 255 and take the virtual addresses, or with
 * priority 0 to make the master step down; there is no replay protection either. The TTL/hop-limit
 * 255 check keeps off-link senders out, nothing more. ha4j's own heartbeat protocol, with its HMAC
 * and replay window, stays the secure default; use VRRPv3 to migrate from keepalived, on a link
 * you trust.
 */
@NullMarked
package io.ha4j.heartbeat.vrrp;

import org.jspecify.annotations.NullMarked;
