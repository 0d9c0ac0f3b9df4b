/**
 * The UDP {@link io.ha4j.api.transport.DatagramTransport} for heartbeat advertisements: unicast to
 * a list of peers, or IPv4/IPv6 multicast on one interface.
 */
@NullMarked
package io.ha4j.heartbeat.udp;

import org.jspecify.annotations.NullMarked;
