package io.ha4j.api.reconcile;

import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;

/**
 * Where the reconciler reads the health and maintenance state of a real server; typically backed
 * by the health-check engine. Called during {@code Reconciler.plan}; it must answer quickly and
 * must not block.
 */
@FunctionalInterface
public interface HealthLookup {

  /** The status of the real server at {@code endpoint} behind the service {@code service}. */
  RealServerStatus statusOf(ServiceKey service, RealServer.Endpoint endpoint);

  /** Every real server is up: a table managed without checks. */
  static HealthLookup allUp() {
    return (service, endpoint) -> RealServerStatus.UP;
  }
}
