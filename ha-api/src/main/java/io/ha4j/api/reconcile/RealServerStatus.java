package io.ha4j.api.reconcile;

import io.ha4j.api.health.HealthState;
import io.ha4j.api.health.Maintenance;
import java.util.Objects;

/**
 * What the reconciler knows about one real server: what its checks concluded and whether an
 * operator overrides them.
 */
public record RealServerStatus(HealthState health, Maintenance maintenance) {

  /** Checked up, no override. */
  public static final RealServerStatus UP = new RealServerStatus(HealthState.UP, Maintenance.NONE);
  /** Checked down, no override. */
  public static final RealServerStatus DOWN = new RealServerStatus(HealthState.DOWN, Maintenance.NONE);
  /** Not checked yet, no override. */
  public static final RealServerStatus UNKNOWN = new RealServerStatus(HealthState.UNKNOWN, Maintenance.NONE);

  public RealServerStatus {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(maintenance, "maintenance");
  }
}
