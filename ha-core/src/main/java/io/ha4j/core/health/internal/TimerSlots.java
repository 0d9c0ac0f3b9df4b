package io.ha4j.core.health.internal;

import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's timers (round starts and attempt timeouts) in one-millisecond slots: everything due
 * within the same millisecond shares one scheduler task. Ten thousand targets at a one-second
 * interval then cost at most a thousand scheduler tasks a second instead of twenty thousand tasks
 * and ten thousand cancellations, and a scheduler thread that wakes less often is late less often
 * on a busy machine. Timers cannot be cancelled: their tasks check whether they are still wanted.
 * Used on the scheduler's thread only.
 */
public final class TimerSlots {

  private static final Logger LOG = LoggerFactory.getLogger(TimerSlots.class);
  static final long SLOT_NANOS = 1_000_000L;

  private final Scheduler scheduler;
  private final HashMap<Long, List<Runnable>> slots = new HashMap<>();

  public TimerSlots(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Runs {@code task} at the first slot boundary at or after {@code notBefore} (scheduler clock).
   *
   * @return when it is planned to run: that boundary
   */
  long at(long notBefore, Runnable task) {
    long slot = -Math.floorDiv(-notBefore, SLOT_NANOS) * SLOT_NANOS;
    List<Runnable> due = slots.get(slot);
    if (due == null) {
      due = new ArrayList<>();
      slots.put(slot, due);
      long delay = Math.max(0, slot - scheduler.clock().nanoTime());
      scheduler.schedule(Duration.ofNanos(delay), () -> run(slot));
    }
    due.add(task);
    return slot;
  }

  private void run(long slot) {
    List<Runnable> due = slots.remove(slot);
    if (due == null) {
      return;
    }
    for (Runnable task : due) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("health check timer {} failed", task, e);
      }
    }
  }
}
