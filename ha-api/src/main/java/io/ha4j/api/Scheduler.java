package io.ha4j.api;

import java.time.Duration;

/**
 * Runs tasks later. Every time-dependent class in ha4j takes a {@code Scheduler} so that tests can
 * run the same code on a virtual timeline (see the testkit).
 *
 * <p>Implementations run the tasks of one scheduler one at a time, in deadline order, so that the
 * state machines driven by them need no locks of their own.
 */
public interface Scheduler {

  /** The clock this scheduler's deadlines are measured on. */
  Clock clock();

  /** Runs {@code task} once after {@code delay} (zero or positive). */
  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Runs {@code task} first after {@code initialDelay} and then every {@code period}, measured from
   * the planned start of each run (fixed rate), until cancelled.
   */
  Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task);

  /** Runs {@code task} as soon as possible on this scheduler's thread. */
  default void execute(Runnable task) {
    schedule(Duration.ZERO, task);
  }

  /**
   * Like {@link #schedule}, for a deadline where a fraction of a millisecond counts (the
   * master-down timer: every client waits for it). An implementation may spend CPU to run the task
   * closer to its deadline than a thread woken by the kernel would; tasks that fall due earlier
   * still run first. The default is {@link #schedule}.
   */
  default Cancellable scheduleExact(Duration delay, Runnable task) {
    return schedule(delay, task);
  }

  /**
   * Whether the calling thread is running a task of this scheduler now, so that work for this
   * scheduler may be done at once instead of being queued behind other tasks. The default, false,
   * is always safe: the caller queues.
   */
  default boolean inSchedulerThread() {
    return false;
  }
}
