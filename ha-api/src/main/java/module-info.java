/**
 * ha4j API: the value types and the service-provider interfaces the other modules implement
 * (load-balancer table, address owner, election, datagram and witness transports, health check) and injected
 * time ({@link io.ha4j.api.Clock}, {@link io.ha4j.api.Scheduler}). No logic beyond validation and
 * no native code lives here.
 */
module io.ha4j.api {
  requires static org.jspecify;

  exports io.ha4j.api;
  exports io.ha4j.api.table;
  exports io.ha4j.api.address;
  exports io.ha4j.api.election;
  exports io.ha4j.api.transport;
  exports io.ha4j.api.health;
  exports io.ha4j.api.member;
  exports io.ha4j.api.reconcile;
}
