package io.ha4j.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: one daemon thread over the system's monotonic clock.
 *
 * <p>This is the one place in ha4j that owns a timer thread. A task that throws is logged and does
 * not stop later runs of a periodic task, because a dead heartbeat timer would look like a crash.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final ScheduledThreadPoolExecutor executor;
  private final Clock clock = Clock.system();

  /** A scheduler whose thread is named {@code name-N}. */
  public SystemScheduler(String name) {
    Objects.requireNonNull(name, "name");
    String threadName = name + "-" + INSTANCES.incrementAndGet();
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** A scheduler named {@code ha4j-scheduler}. */
  public SystemScheduler() {
    this("ha4j-scheduler");
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    requireNonNegative(delay, "delay");
    Objects.requireNonNull(task, "task");
    ScheduledFuture<?> f =
        executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
    requireNonNegative(initialDelay, "initialDelay");
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive, was " + period);
    }
    Objects.requireNonNull(task, "task");
    ScheduledFuture<?> f =
        executor.scheduleAtFixedRate(
            guarded(task), initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** Stops the thread; tasks not yet run are dropped. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.error("scheduled task {} failed", task, e);
      }
    };
  }

  private static void requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
  }
}
