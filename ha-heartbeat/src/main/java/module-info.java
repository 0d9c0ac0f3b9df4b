/**
 * ha4j heartbeat: an authenticated advertisement protocol over UDP and a master election with the
 * semantics of VRRP (RFC 5798 section 6), implementing {@link io.ha4j.api.election.Election};
 * VRRPv3 as a second wire format over raw IP sockets (ha-linux's libc binding), to join keepalived
 * groups.
 */
module io.ha4j.heartbeat {
  requires transitive io.ha4j.api;
  requires org.slf4j;
  requires static org.jspecify;
  // The libc binding, the errno table and the network-namespace runner.
  requires io.ha4j.linux;
  requires com.sun.jna;
  // Optional: only io.ha4j.heartbeat.metrics uses it.
  requires static micrometer.core;

  exports io.ha4j.heartbeat;
  exports io.ha4j.heartbeat.udp;
  exports io.ha4j.heartbeat.udp.linux;
  exports io.ha4j.heartbeat.vrrp;
  exports io.ha4j.heartbeat.vrrp.linux;
  exports io.ha4j.heartbeat.metrics;
}
