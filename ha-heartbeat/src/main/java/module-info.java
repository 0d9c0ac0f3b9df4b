/**
 * ha4j heartbeat: an authenticated advertisement protocol over UDP and a master election with the
 * semantics of VRRP (RFC 5798 section 6), implementing {@link io.ha4j.api.election.Election}.
 */
module io.ha4j.heartbeat {
  requires transitive io.ha4j.api;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.ha4j.heartbeat;
  exports io.ha4j.heartbeat.udp;
  exports io.ha4j.heartbeat.vrrp;
}
