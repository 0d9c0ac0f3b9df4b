package io.ha4j.api.reconcile;

/**
 * keepalived's {@code quorum} and {@code hysteresis} of a virtual service (keepalived.conf(5)).
 *
 * <p>The live weight of a service is the sum of the configured weights of its real servers that
 * are up and not in maintenance. A service that has quorum loses it when the live weight drops
 * below {@code quorum - hysteresis} or reaches 0; a service without quorum regains it when the
 * live weight reaches {@code quorum + hysteresis}. Between the two the previous state holds, so a
 * live weight that wobbles around the threshold does not flap.
 *
 * @param quorum minimum live weight, at least 1; keepalived's default is 1
 * @param hysteresis margin around {@code quorum}, at least 0; keepalived's default is 0
 */
public record Quorum(int quorum, int hysteresis) {

  /** keepalived's default: quorum 1, no hysteresis, so quorum is lost exactly when no weight is live. */
  public static final Quorum DEFAULT = new Quorum(1, 0);

  public Quorum {
    if (quorum < 1) {
      throw new IllegalArgumentException("quorum must be at least 1, was " + quorum);
    }
    if (hysteresis < 0) {
      throw new IllegalArgumentException("hysteresis must not be negative, was " + hysteresis);
    }
  }

  /** Whether a service that had quorum ({@code wasUp}) has it with {@code liveWeight} live. */
  public boolean holds(boolean wasUp, long liveWeight) {
    if (wasUp) {
      return liveWeight > 0 && liveWeight >= (long) quorum - hysteresis;
    }
    return liveWeight >= (long) quorum + hysteresis;
  }
}
