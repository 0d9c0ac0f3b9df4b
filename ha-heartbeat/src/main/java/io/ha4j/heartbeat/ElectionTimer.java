package io.ha4j.heartbeat;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Clock;
import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The timer of an election's current state, one per election as in keepalived (a backup's
 * Master_Down_Timer, a master's Adver_Timer: never both at once). It is one-shot, expires under
 * the election's lock and tells how late it fired, so that a stall is noticed.
 *
 * <p>The master-down timer is armed {@linkplain #armExact exact} ({@link Scheduler#scheduleExact}):
 * its lateness is part of every fail-over, and the listener calls it makes (the take-over's) run in
 * its own task as soon as it has left the lock ({@link ListenerDispatch#holdForTimer}).
 */
final class ElectionTimer {

  private final Object lock;
  private final Scheduler scheduler;
  private final Clock clock;
  private final ListenerDispatch listeners;
  private final LongConsumer onExpiry;

  // Guarded by lock.
  private @Nullable Cancellable handle;
  private long generation;
  private long deadlineNanos;
  private boolean exact;

  /**
   * A timer that calls {@code onExpiry} with its lateness in nanoseconds, under {@code lock} (the
   * election's).
   */
  ElectionTimer(Object lock, Scheduler scheduler, ListenerDispatch listeners, LongConsumer onExpiry) {
    this.lock = lock;
    this.scheduler = scheduler;
    this.clock = scheduler.clock();
    this.listeners = listeners;
    this.onExpiry = onExpiry;
  }

  /** Expires in {@code delayNanos} (the Adver_Timer). Replaces any earlier deadline. */
  void arm(long delayNanos) {
    arm(delayNanos, false);
  }

  /** Expires in {@code delayNanos}, as close to the deadline as the scheduler can (the Master_Down_Timer). */
  void armExact(long delayNanos) {
    arm(delayNanos, true);
  }

  /**
   * Expires in {@code delayNanos} exactly, unless it is armed to expire sooner already: a deadline
   * that only ever moves closer. Returns whether it moved.
   */
  boolean armExactWithin(long delayNanos) {
    if (handle != null && deadlineNanos - clock.nanoTime() <= delayNanos) {
      return false;
    }
    armExact(delayNanos);
    return true;
  }

  /** Does not expire; a task cancelled while it already waits for the lock does not run either. */
  void cancel() {
    generation++;
    Cancellable h = handle;
    handle = null;
    if (h != null) {
      h.cancel();
    }
  }

  private void arm(long delayNanos, boolean exactly) {
    cancel();
    long gen = generation;
    exact = exactly;
    deadlineNanos = clock.nanoTime() + delayNanos;
    Duration delay = Duration.ofNanos(Math.max(0, delayNanos));
    Runnable task = () -> fire(gen);
    handle = exactly ? scheduler.scheduleExact(delay, task) : scheduler.schedule(delay, task);
  }

  private void fire(long gen) {
    List<Runnable> held = null;
    synchronized (lock) {
      if (gen != generation) {
        return;
      }
      handle = null;
      if (exact) {
        held = listeners.holdForTimer();
      }
      try {
        onExpiry.accept(clock.nanoTime() - deadlineNanos);
      } finally {
        if (held != null) {
          listeners.stopHolding();
        }
      }
    }
    if (held != null) {
      for (Runnable r : held) {
        r.run();
      }
    }
  }
}
