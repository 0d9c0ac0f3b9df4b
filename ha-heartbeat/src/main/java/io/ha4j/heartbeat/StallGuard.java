package io.ha4j.heartbeat;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells a stall of this process (GC pause, VM steal) from a timer's lateness: a timer that fires
 * later than {@link HeartbeatConfig#stallThreshold()} of the master-down interval could not have
 * heard the master meanwhile (keepalived issues #1955, #2271 are false fail-overs from stale
 * timers). Counts the stalls.
 */
final class StallGuard {

  private final double threshold;
  private final AtomicLong stalls = new AtomicLong();

  StallGuard(double threshold) {
    this.threshold = threshold;
  }

  /** Whether a timer {@code lateNanos} late is a stall, given the master-down interval; counts it. */
  boolean stalled(long lateNanos, long masterDownNanos) {
    if (lateNanos > threshold * masterDownNanos) {
      stalls.incrementAndGet();
      return true;
    }
    return false;
  }

  /** Stalls seen. */
  long count() {
    return stalls.get();
  }
}
