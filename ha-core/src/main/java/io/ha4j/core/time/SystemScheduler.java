package io.ha4j.core.time;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Clock;
import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: one daemon thread over the system's monotonic clock.
 *
 * <p>This is the one place in ha4j that owns a timer thread. A task that throws is logged and does
 * not stop later runs of a periodic task, because a dead heartbeat timer would look like a crash.
 *
 * <p>{@link #scheduleExact} tasks are woken {@link #EXACT_MARGIN} early and then wait on the CPU
 * for their deadline: a thread woken by a kernel timer runs 0.1 to 1 ms late (more on a virtual
 * machine), and the master-down timer's lateness is added to every fail-over. While one waits,
 * any other task that falls due earlier runs first.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** How early an exact task is woken before it waits on the CPU for its deadline. */
  public static final Duration EXACT_MARGIN = Duration.ofMillis(1);

  private static final long MARGIN_NANOS = EXACT_MARGIN.toNanos();

  /** How long {@link #close()} waits for the tasks that were due when it was called. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final ScheduledThreadPoolExecutor executor;
  private final Clock clock = Clock.system();
  private final String threadName;
  private volatile @Nullable Thread thread;

  /** A scheduler whose thread is named {@code name-N}. */
  public SystemScheduler(String name) {
    Objects.requireNonNull(name, "name");
    String threadName = name + "-" + INSTANCES.incrementAndGet();
    this.threadName = threadName;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              thread = t;
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    // After close, what the last tasks schedule (a timer re-armed, a listener call) is dropped
    // quietly: the owner asked for the stop.
    executor.setRejectedExecutionHandler((r, e) -> LOG.debug("{}: closed, task dropped", threadName));
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

  @Override
  public Cancellable scheduleExact(Duration delay, Runnable task) {
    requireNonNegative(delay, "delay");
    Objects.requireNonNull(task, "task");
    ExactTask t = new ExactTask(System.nanoTime() + delay.toNanos(), guarded(task));
    t.park(Math.max(0, delay.toNanos() - MARGIN_NANOS));
    return t;
  }

  @Override
  public boolean inSchedulerThread() {
    return Thread.currentThread() == thread;
  }

  /**
   * Stops the thread. Tasks already due run first, so that work handed over just before (a
   * member's graceful stop: the priority-0 advertisement, the VIPs' release) is not lost; delayed
   * and periodic tasks are dropped, and so is whatever is scheduled from now on. Waits up to
   * {@link #CLOSE_WAIT} for the due tasks, unless called from the scheduler's own thread.
   */
  @Override
  public void close() {
    executor.shutdown();
    if (inSchedulerThread()) {
      return;
    }
    try {
      if (!executor.awaitTermination(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn("{}: tasks still running {} after close; interrupting them", threadName, CLOSE_WAIT);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }

  /** A task that waits on the CPU for the last stretch before its deadline. */
  private final class ExactTask implements Runnable, Cancellable {
    private final long deadline;
    private final Runnable task;
    private volatile boolean cancelled;
    private volatile @Nullable ScheduledFuture<?> parked;

    ExactTask(long deadline, Runnable task) {
      this.deadline = deadline;
      this.task = task;
    }

    void park(long delayNanos) {
      parked = executor.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
      if (cancelled) {
        cancel();
      }
    }

    @Override
    public void run() {
      for (int spins = 0; !cancelled; spins++) {
        long left = deadline - System.nanoTime();
        if (left > MARGIN_NANOS) {
          park(left - MARGIN_NANOS); // woken too early: sleep again
          return;
        }
        // The queue is looked at every 64th turn and at the deadline: a backup's first wait is
        // its take-over, and peeking on every turn made the JIT compile the queue's methods
        // right then, on the other CPU.
        Runnable next = left <= 0 || (spins & 63) == 0 ? executor.getQueue().peek() : null;
        if (next instanceof Delayed d && d.getDelay(TimeUnit.NANOSECONDS) <= left) {
          // What falls due before our deadline goes first (a datagram that arrived before the
          // master-down deadline), also when this thread was late: queued behind it, the wait
          // resumes after it.
          park(0);
          return;
        }
        if (left <= 0) {
          task.run();
          return;
        }
        Thread.onSpinWait();
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      ScheduledFuture<?> f = parked;
      if (f != null) {
        f.cancel(false);
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
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
