/**
 * VRRPv3 over raw IP sockets on Linux (protocol 112), through JNA: {@link
 * io.ha4j.heartbeat.vrrp.linux.VrrpTransport}. Needs CAP_NET_RAW in the socket's network
 * namespace.
 */
@NullMarked
package io.ha4j.heartbeat.vrrp.linux;

import org.jspecify.annotations.NullMarked;
