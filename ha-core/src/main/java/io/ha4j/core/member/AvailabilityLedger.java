package io.ha4j.core.member;

import io.ha4j.api.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Availability accounting: how long the cluster was without a master, the measured availability,
 * and what is left of the yearly downtime budget of a target such as 99.99%.
 *
 * <p>Fed with edges ("a master is present", "no master") by whoever observes them: a {@link Member}
 * from its election, or the testkit from a simulated cluster's history. Thread-safe.
 */
public final class AvailabilityLedger {

  /** A year of 365 days, the base of the usual downtime tables (99.9% = 8.76 h a year). */
  public static final Duration YEAR = Duration.ofDays(365);

  /**
   * A snapshot.
   *
   * @param observed time since the ledger started
   * @param withoutMaster time without a master within {@code observed}
   * @param failovers number of times a master appeared after a period without one
   */
  public record Report(Duration observed, Duration withoutMaster, long failovers) {

    /** Fraction of the observed time with a master, 1.0 when nothing was observed yet. */
    public double availability() {
      long o = observed.toNanos();
      return o == 0 ? 1.0 : 1.0 - (double) withoutMaster.toNanos() / o;
    }

    /** The number of nines of {@link #availability()}: 3.0 for 99.9%; infinite for 100%. */
    public double nines() {
      double down = 1.0 - availability();
      return down <= 0 ? Double.POSITIVE_INFINITY : -Math.log10(down);
    }

    /**
     * What is left of the yearly budget of {@code target} after the downtime seen so far; negative
     * when it is overspent.
     */
    public Duration remainingBudget(double target) {
      return yearlyBudget(target).minus(withoutMaster);
    }
  }

  private final Clock clock;
  private boolean started;
  private long startNanos;
  private boolean masterPresent;
  private long lastEdgeNanos;
  private long withoutMasterNanos;
  private long failovers;

  /**
   * A ledger over {@code clock}. Observation starts at the first master: the time a new cluster
   * needs to elect one is start-up, not downtime.
   */
  public AvailabilityLedger(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The downtime a year that {@code target} allows: 8.76 h for 0.999, 52.56 min for 0.9999, 5.26
   * min for 0.99999.
   *
   * @param target availability in (0, 1)
   */
  public static Duration yearlyBudget(double target) {
    if (!(target > 0 && target < 1)) {
      throw new IllegalArgumentException("target must be in (0, 1), was " + target);
    }
    return Duration.ofNanos(Math.round((1.0 - target) * YEAR.toNanos()));
  }

  /**
   * Records whether a master is present from now on.
   *
   * @return the time without a master that this call ended (a fail-over as this ledger saw it),
   *     empty if it ended none
   */
  public synchronized Optional<Duration> masterPresent(boolean present) {
    long now = clock.nanoTime();
    if (!started) {
      if (present) {
        started = true;
        startNanos = now;
        lastEdgeNanos = now;
        masterPresent = true;
      }
      return Optional.empty();
    }
    if (masterPresent && !present) {
      masterPresent = false;
      lastEdgeNanos = now;
    } else if (!masterPresent && present) {
      long gap = now - lastEdgeNanos;
      withoutMasterNanos += gap;
      failovers++;
      masterPresent = true;
      lastEdgeNanos = now;
      return Optional.of(Duration.ofNanos(gap));
    }
    return Optional.empty();
  }

  /**
   * Records that the master was lost at {@code atNanos}, a clock reading in the past (the last
   * advertisement of a master that then fell silent): a member learns of a crash only when its
   * master-down timer runs out, but the outage began when the master stopped. A ledger that saw no
   * master yet starts here: that master existed. Ignored when no master is present anyway, and for
   * a time before the last recorded edge.
   */
  public synchronized void masterLostAt(long atNanos) {
    if (!started) {
      started = true;
      startNanos = Math.min(clock.nanoTime(), atNanos);
      lastEdgeNanos = startNanos;
      masterPresent = false;
      return;
    }
    if (!masterPresent) {
      return;
    }
    masterPresent = false;
    lastEdgeNanos = Math.min(clock.nanoTime(), Math.max(lastEdgeNanos, atNanos));
  }

  /** The accounts up to now; all zero before the first master. */
  public synchronized Report report() {
    if (!started) {
      return new Report(Duration.ZERO, Duration.ZERO, 0);
    }
    long now = clock.nanoTime();
    long without = withoutMasterNanos + (masterPresent ? 0 : now - lastEdgeNanos);
    return new Report(Duration.ofNanos(now - startNanos), Duration.ofNanos(without), failovers);
  }
}
