/**
 * ha4j core: the orchestration over the SPIs of {@code io.ha4j.api}. The member maps the roles an
 * election decides to actions; the health-check engine checks real servers; the reconciler keeps a
 * load-balancer table at its desired state; the availability ledger counts the time without a
 * master; the system scheduler runs it all in real time and the virtual scheduler in simulated
 * time. No native code lives here.
 */
module io.ha4j.core {
  requires transitive io.ha4j.api;
  requires static org.jspecify;
  requires org.slf4j;
  requires java.net.http;
  // Optional: only io.ha4j.core.metrics uses it.
  requires static micrometer.core;

  exports io.ha4j.core.member;
  exports io.ha4j.core.health;
  exports io.ha4j.core.reconcile;
  exports io.ha4j.core.metrics;
  exports io.ha4j.core.time;
}
