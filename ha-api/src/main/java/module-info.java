/**
 * ha4j API: the value types, the service-provider interfaces the other modules implement, injected
 * time, the health-check engine and the desired-state reconciler. No native code lives here.
 */
module io.ha4j.api {
  requires static org.jspecify;
  requires org.slf4j;
  requires java.net.http;
  // Optional: only io.ha4j.api.metrics uses it.
  requires static micrometer.core;

  exports io.ha4j.api;
  exports io.ha4j.api.table;
  exports io.ha4j.api.address;
  exports io.ha4j.api.election;
  exports io.ha4j.api.transport;
  exports io.ha4j.api.health;
  exports io.ha4j.api.member;
  exports io.ha4j.api.reconcile;
  exports io.ha4j.api.metrics;
  // The take-over rehearsal's scheduler, for the modules whose parts rehearse.
  exports io.ha4j.api.internal to io.ha4j.heartbeat, io.ha4j.vip;
}
