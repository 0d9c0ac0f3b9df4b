package io.ha4j.testkit.cluster;

import java.time.Duration;

/**
 * The time bounds the {@link Invariant}s allow, derived from a cluster's settings and the clock
 * drift seen in its history. With {@code A} the advertisement interval:
 *
 * <ul>
 *   <li>{@code skew(p) = (256 - p) * A / 256} and {@code masterDown(p) = 3 * A + skew(p)} (RFC 5798
 *       section 6.1);
 *   <li>{@link #maxDelayNanos()} {@code D}: the longest one-way delay of a datagram, {@code delay +
 *       jitter}, doubled when links reorder (a reordered datagram is held back by one more {@code
 *       delay + jitter});
 *   <li>{@link #delaySpreadNanos()}: {@code D - delay}, how far two copies of one advertisement can
 *       arrive apart;
 *   <li>{@link #driftFactor()} {@code f}: {@code 1 / slowest clock rate} (1 without drift): a timer
 *       of {@code T} on a member's clock takes at most {@code f * T} of true time;
 *   <li>{@link #convergenceNanos()} {@code B = f * (masterDown(1) + 2 * A) + 2 * D + 1 ms}: the
 *       longest master-down interval, one interval for the stall guard's re-check and one for a
 *       preempting or stepping-down master to be heard.
 * </ul>
 *
 * @param advertisementNanos {@code A}
 * @param delayNanos the fixed one-way delay of every link
 * @param maxDelayNanos {@code D}
 * @param driftFactor {@code f}, at least 1
 * @param fastestRate the fastest clock rate in the history, at least 1
 * @param stallThreshold the election's stall threshold
 */
public record Bounds(
    long advertisementNanos, long delayNanos, long maxDelayNanos, double driftFactor, double fastestRate,
    double stallThreshold) {

  /** Loss below this probability counts as a stable network; any Fault.Loss at or above it does not. */
  public static final double STABLE_LOSS = 0.001;

  private static final long MARGIN = 1_000_000;

  /** The bounds of {@code history}'s cluster and the clock rates its faults set. */
  public static Bounds of(History history) {
    ClusterConfig c = history.cluster();
    double slowest = 1.0;
    double fastest = 1.0;
    for (History.Event e : history.events()) {
      if (e instanceof History.FaultApplied f && f.fault() instanceof Fault.ClockDrift d) {
        slowest = Math.min(slowest, d.rate());
        fastest = Math.max(fastest, d.rate());
      }
    }
    long delay = c.link().delay().toNanos();
    long one = delay + c.link().jitter().toNanos();
    long max = c.link().reordering() > 0 ? 2 * one : one;
    return new Bounds(c.advertisementInterval().toNanos(), delay, max, 1.0 / slowest, fastest, c.stallThreshold());
  }

  /** {@code skew(p)} in nanoseconds. */
  public long skewNanos(int priority) {
    return (256 - priority) * advertisementNanos / 256;
  }

  /** {@code masterDown(p)} in nanoseconds. */
  public long masterDownNanos(int priority) {
    return 3 * advertisementNanos + skewNanos(priority);
  }

  /** {@code D - delay}. */
  public long delaySpreadNanos() {
    return maxDelayNanos - delayNanos;
  }

  /** {@code B}: how long after a disturbance a cluster may take to settle. */
  public long convergenceNanos() {
    return stretch(masterDownNanos(1) + 2 * advertisementNanos) + 2 * maxDelayNanos + MARGIN;
  }

  /**
   * L1 after a crash: a backup of best priority {@code p} is master within {@code f *
   * (masterDown(p) + A) + D}.
   */
  public long crashFailoverNanos(int bestPriority) {
    return stretch(masterDownNanos(bestPriority) + advertisementNanos) + maxDelayNanos + MARGIN;
  }

  /**
   * W1 after a process death: the best backup (priority {@code p}) is master within {@code f *
   * (255 - p) * stagger + close + 3 * D}: the dead process's kernel closes its connections ({@link
   * io.ha4j.testkit.net.SimulatedNetwork#PROCESS_CLOSE_DELAY}), the close travels to the backup,
   * the backup's probe and its refusal travel there and back, the stagger runs on the backup's
   * clock.
   */
  public long witnessNanos(int bestPriority) {
    return stretch(witnessStaggerNanos(bestPriority))
        + io.ha4j.testkit.net.SimulatedNetwork.PROCESS_CLOSE_DELAY.toNanos() + 3 * maxDelayNanos + MARGIN;
  }

  /** The death witness's stagger of a backup of {@code priority} (the election's default). */
  public long witnessStaggerNanos(int priority) {
    return (255 - priority) * io.ha4j.heartbeat.HeartbeatConfig.DEFAULT_WITNESS_STAGGER.toNanos();
  }

  /**
   * L1 after a graceful hand-over (priority-0 advertisement): a backup of best priority {@code p} is
   * master within {@code D + f * skew(p) + A / 4}.
   */
  public long handoverNanos(int bestPriority) {
    return maxDelayNanos + stretch(skewNanos(bestPriority)) + advertisementNanos / 4 + MARGIN;
  }

  /**
   * Whether a stall of {@code stallNanos} cannot disturb the election: too short for any
   * master-down timer to run out ({@code < 3A / fastest - f * A - D}), or, for a backup, long
   * enough that its late timer is surely taken for a stall ({@code > f * (1 + threshold) *
   * masterDown(1) + A + D}).
   */
  public boolean harmlessStall(long stallNanos, boolean backup) {
    long shortest = (long) (3 * advertisementNanos / fastestRate) - stretch(advertisementNanos) - maxDelayNanos - MARGIN;
    if (stallNanos < shortest) {
      return true;
    }
    return backup
        && stallNanos > (long) (driftFactor * (1 + stallThreshold) * masterDownNanos(1)) + advertisementNanos
            + maxDelayNanos + MARGIN;
  }

  /**
   * H1: how long a member's checks may take to notice a failed real server of {@code pool}: the
   * next round starts within an interval, {@code fall} failed rounds take {@code fall} intervals,
   * the last one ends when its probe times out; 1 ms for each of the engine's timer slots, and
   * stretched by the drift factor.
   */
  public long detectionNanos(RealServerPool pool) {
    return stretch(pool.fall() * pool.interval().toNanos() + pool.timeout().toNanos() + 2 * MARGIN) + MARGIN;
  }

  long stretch(long nanos) {
    return (long) Math.ceil(nanos * driftFactor);
  }

  /**
   * V1: how long a master may be without the VIP: the member's address hold bound ({@code
   * MemberBuilder.DEFAULT_ADDRESS_HOLD_BOUND}, after which it goes to FAULT), stretched by the
   * drift factor, plus a quarter interval and 1 ms for the retries' timer slots.
   */
  public long vipHeldNanos() {
    return stretch(io.ha4j.core.member.MemberBuilder.DEFAULT_ADDRESS_HOLD_BOUND.toNanos()) + advertisementNanos / 4
        + MARGIN;
  }

  /** {@code B} as a duration. */
  public Duration convergence() {
    return Duration.ofNanos(convergenceNanos());
  }
}
