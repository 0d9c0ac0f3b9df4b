package io.ha4j.zookeeper.internal;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A periodic tick on the election's scheduler that tells when this process stood still (GC pause,
 * SIGSTOP, VM steal): a tick that runs later than its threshold past its planned time means every
 * thread of the process may have been stopped as long, the ZooKeeper client's pings included, so
 * the session may have expired meanwhile without a SUSPENDED event having reached the election.
 * Each tick is planned from the previous one's actual run, so one stall is reported once.
 */
public final class StallDetector {

  private final Scheduler scheduler;
  private final LongConsumer onStall;
  private long periodNanos;
  private long thresholdNanos;
  private long stalls;
  private long plannedNanos;
  private @Nullable Cancellable next;

  /**
   * A detector ticking on {@code scheduler}; {@code onStall} gets the lateness in nanoseconds, on
   * the scheduler thread, before any other task queued behind the late tick.
   */
  public StallDetector(Scheduler scheduler, LongConsumer onStall) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.onStall = Objects.requireNonNull(onStall, "onStall");
  }

  /** (Re)starts ticking every {@code period}, reporting a tick later than {@code threshold}. */
  public void start(Duration period, Duration threshold) {
    stop();
    this.periodNanos = period.toNanos();
    this.thresholdNanos = threshold.toNanos();
    arm();
  }

  /** Stops ticking. */
  public void stop() {
    Cancellable n = next;
    next = null;
    if (n != null) {
      n.cancel();
    }
  }

  /** Stalls seen so far. */
  public long stalls() {
    return stalls;
  }

  private void arm() {
    plannedNanos = scheduler.clock().nanoTime() + periodNanos;
    next = scheduler.schedule(Duration.ofNanos(periodNanos), this::tick);
  }

  private void tick() {
    if (next == null) {
      return;
    }
    long late = scheduler.clock().nanoTime() - plannedNanos;
    arm();
    if (late > thresholdNanos) {
      stalls++;
      onStall.accept(late);
    }
  }
}
