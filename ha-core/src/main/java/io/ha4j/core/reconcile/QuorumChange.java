package io.ha4j.core.reconcile;

import io.ha4j.api.reconcile.Quorum;
import io.ha4j.api.ServiceKey;
import java.util.Objects;

/**
 * A virtual service gained or lost quorum (keepalived's {@code quorum_up} / {@code quorum_down}).
 *
 * @param service the service
 * @param up whether it has quorum now
 * @param liveWeight the live weight that decided it
 * @param quorum the thresholds it was measured against
 */
public record QuorumChange(ServiceKey service, boolean up, long liveWeight, Quorum quorum) {
  public QuorumChange {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(quorum, "quorum");
    if (liveWeight < 0) {
      throw new IllegalArgumentException("liveWeight must not be negative, was " + liveWeight);
    }
  }
}
