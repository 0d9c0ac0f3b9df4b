package io.ha4j.core.time;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Scheduler} on a {@link VirtualClock}'s timeline. Its tasks run when the clock is
 * advanced; see the {@linkplain io.ha4j.core.time package documentation}.
 *
 * <p>A fixed-rate task that falls behind (because its scheduler was frozen) catches up the way
 * {@link java.util.concurrent.ScheduledThreadPoolExecutor} does: the missed runs happen back to
 * back, each planned one period after the previous plan.
 */
public final class VirtualScheduler implements Scheduler {

  private final VirtualClock clock;
  private final String name;
  private long frozenUntil;
  private boolean frozen;

  VirtualScheduler(VirtualClock clock, String name) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** A scheduler on a new clock of its own that starts at 0. */
  public static VirtualScheduler create() {
    return new VirtualClock().newScheduler("virtual");
  }

  /** The name given at creation, used in runaway reports. */
  public String name() {
    return name;
  }

  @Override
  public VirtualClock clock() {
    return clock;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(task, "task");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    return clock.enqueue(this, delay.toNanos(), 0, task);
  }

  @Override
  public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(task, "task");
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("initialDelay must not be negative, was " + initialDelay);
    }
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive, was " + period);
    }
    return clock.enqueue(this, initialDelay.toNanos(), period.toNanos(), task);
  }

  /** True while the thread advancing the clock runs one of this scheduler's tasks. */
  @Override
  public boolean inSchedulerThread() {
    return clock.running(this);
  }

  /**
   * Simulates a stall of this scheduler's thread (a GC pause, VM steal) for {@code d} from now:
   * its tasks that fall due during the freeze run late, in their order, when it ends; tasks of
   * other schedulers run on time. The clock still reads the true time in the late tasks, so they
   * can notice they are late. Freezing again extends the freeze if it ends later.
   */
  public void freeze(Duration d) {
    Objects.requireNonNull(d, "d");
    if (d.isNegative()) {
      throw new IllegalArgumentException("freeze duration must not be negative, was " + d);
    }
    synchronized (clock.lock()) {
      long until = clock.nowLocked() + d.toNanos();
      if (!frozen || until - frozenUntil > 0) {
        frozenUntil = until;
        frozen = true;
      }
      clock.freeze(this, frozenUntil);
    }
  }

  /** Whether this scheduler is frozen at the clock's current time. */
  public boolean isFrozen() {
    synchronized (clock.lock()) {
      return frozen && clock.nowLocked() - frozenUntil < 0;
    }
  }

  /** The earliest time a task of this scheduler may run, given the clock reads {@code now}. */
  long frozenUntil(long now) {
    return frozen && now - frozenUntil < 0 ? frozenUntil : now;
  }

  @Override
  public String toString() {
    return "VirtualScheduler[" + name + "]";
  }
}
