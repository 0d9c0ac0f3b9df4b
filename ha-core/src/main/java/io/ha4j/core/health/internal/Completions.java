package io.ha4j.core.health.internal;

import io.ha4j.api.Scheduler;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries check results from I/O threads to the scheduler's thread in batches: one scheduler task
 * drains everything that arrived meanwhile, instead of one task (and one thread wake-up) per
 * result. At thousands of checks a second this halves the scheduler's work.
 */
public final class Completions {

  private static final Logger LOG = LoggerFactory.getLogger(Completions.class);
  // Bounded so that timers due meanwhile (heartbeats share the scheduler) are not held up.
  private static final int BATCH = 256;

  private final Scheduler scheduler;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainPending = new AtomicBoolean();

  public Completions(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** Runs {@code task} on the scheduler's thread, after the tasks posted before it. */
  public void post(Runnable task) {
    queue.add(task);
    if (drainPending.compareAndSet(false, true)) {
      scheduler.execute(this::drain);
    }
  }

  private void drain() {
    drainPending.set(false);
    Runnable task;
    int n = 0;
    while (n++ < BATCH && (task = queue.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("health check completion {} failed", task, e);
      }
    }
    if (!queue.isEmpty() && drainPending.compareAndSet(false, true)) {
      scheduler.execute(this::drain);
    }
  }
}
