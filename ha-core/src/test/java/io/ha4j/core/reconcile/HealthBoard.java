package io.ha4j.core.reconcile;

import io.ha4j.api.reconcile.HealthLookup;
import io.ha4j.api.reconcile.RealServerStatus;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.health.HealthState;
import io.ha4j.api.health.Maintenance;
import java.util.HashMap;
import java.util.Map;

/** A health lookup that tests set by hand; a real server nobody set is UNKNOWN. */
final class HealthBoard implements HealthLookup {

  private final Map<RealServer.Endpoint, RealServerStatus> states = new HashMap<>();

  HealthBoard set(RealServer rs, HealthState health) {
    return set(rs, health, Maintenance.NONE);
  }

  HealthBoard set(RealServer rs, HealthState health, Maintenance maintenance) {
    states.put(rs.endpoint(), new RealServerStatus(health, maintenance));
    return this;
  }

  @Override
  public RealServerStatus statusOf(ServiceKey service, RealServer.Endpoint endpoint) {
    return states.getOrDefault(endpoint, RealServerStatus.UNKNOWN);
  }
}
