package io.ha4j.core.time;

import io.ha4j.api.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * A manually advanced {@link Clock} that also owns the task queue of its {@link
 * VirtualScheduler}s. Time only moves when the test calls {@link #advanceBy}, {@link
 * #advanceTo} or {@link #runUntilIdle}; those run every task that falls due, in order, on the
 * calling thread, and the clock reads each task's run time while it runs.
 *
 * <p>Thread-safe for scheduling (a transport's receive thread may call {@code execute}); time
 * must be advanced by one thread at a time, and not from inside a task.
 */
public final class VirtualClock implements Clock {

  /** Default limit of tasks at one instant before {@link #advanceBy} reports a runaway. */
  public static final int DEFAULT_RUNAWAY_LIMIT = 100_000;

  private final Object lock = new Object();
  private final PriorityQueue<VirtualTask> queue = new PriorityQueue<>(VirtualTask.ORDER);
  private long now;
  private long nextSequence;
  private int runawayLimit = DEFAULT_RUNAWAY_LIMIT;
  private @Nullable Thread advancing;
  /** The scheduler whose task runs now, on the advancing thread; null between tasks. */
  private volatile @Nullable VirtualScheduler running;
  private long instantTasks;
  private long instantNanos;
  private final Map<String, Integer> instantCounts = new HashMap<>();
  private long tasksRun;

  /** A clock that reads 0 until advanced. */
  public VirtualClock() {
    this(0);
  }

  /** A clock that reads {@code startNanos} until advanced (any value: only differences matter). */
  public VirtualClock(long startNanos) {
    this.now = startNanos;
    this.instantNanos = startNanos;
  }

  @Override
  public long nanoTime() {
    synchronized (lock) {
      return now;
    }
  }

  /** Time elapsed since {@code sinceNanos}, a reading of this clock. */
  public Duration since(long sinceNanos) {
    return Duration.ofNanos(nanoTime() - sinceNanos);
  }

  /** A new scheduler on this clock's timeline. */
  public VirtualScheduler newScheduler(String name) {
    return new VirtualScheduler(this, name);
  }

  /**
   * How many tasks may run at one instant (without time passing) before the clock decides that a
   * task keeps rescheduling itself with zero delay and throws a {@link RunawayException}.
   */
  public void setRunawayLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("runaway limit must be positive, was " + limit);
    }
    synchronized (lock) {
      runawayLimit = limit;
    }
  }

  /** Tasks waiting to run (cancelled ones excluded). */
  public int pendingTasks() {
    synchronized (lock) {
      return (int) queue.stream().filter(t -> !t.cancelled()).count();
    }
  }

  /** Tasks run so far. */
  public long tasksRun() {
    synchronized (lock) {
      return tasksRun;
    }
  }

  /** Runs the tasks that are due now, without moving time. */
  public void runDue() {
    advanceBy(Duration.ZERO);
  }

  /**
   * Moves time forward by {@code d}, running every task due up to and including the new time, in
   * order. A task that throws stops the advance and the exception propagates (time then stays at
   * that task's run time); a periodic task that throws runs no more.
   *
   * @throws RunawayException if more than the runaway limit of tasks run at one instant
   */
  public void advanceBy(Duration d) {
    Objects.requireNonNull(d, "d");
    if (d.isNegative()) {
      throw new IllegalArgumentException("cannot advance by a negative duration " + d);
    }
    long target;
    synchronized (lock) {
      target = now + d.toNanos();
    }
    advanceTo(target);
  }

  /** Moves time forward to {@code targetNanos}, running what falls due; see {@link #advanceBy}. */
  public void advanceTo(long targetNanos) {
    enter();
    try {
      while (true) {
        VirtualTask t;
        synchronized (lock) {
          if (targetNanos - now < 0) {
            throw new IllegalArgumentException("cannot go back in time from " + now + " to " + targetNanos);
          }
          t = pollDue(targetNanos);
          if (t == null) {
            now = targetNanos;
            return;
          }
        }
        run(t);
      }
    } finally {
      exit();
    }
  }

  /**
   * Runs tasks in order, moving time to each, until none is left or the next one lies more than
   * {@code limit} ahead of the time when this was called. Periodic tasks never let a scheduler
   * become idle, so they always run up to the limit.
   *
   * @return true if no task is left; false if the limit was reached (time is then at the limit)
   */
  public boolean runUntilIdle(Duration limit) {
    Objects.requireNonNull(limit, "limit");
    enter();
    try {
      long end;
      synchronized (lock) {
        end = now + limit.toNanos();
      }
      while (true) {
        VirtualTask t;
        synchronized (lock) {
          dropCancelled();
          if (queue.isEmpty()) {
            return true;
          }
          t = pollDue(end);
          if (t == null) {
            now = end;
            return false;
          }
        }
        run(t);
      }
    } finally {
      exit();
    }
  }

  // ---- called by VirtualScheduler -------------------------------------------------------

  VirtualTask enqueue(VirtualScheduler owner, long delayNanos, long periodNanos, Runnable task) {
    synchronized (lock) {
      VirtualTask t = new VirtualTask(owner, task, now + delayNanos, periodNanos, nextSequence++);
      t.runAt = Math.max(t.deadline, owner.frozenUntil(now));
      queue.add(t);
      return t;
    }
  }

  /** Holds the owner's tasks that fall due before {@code untilNanos} until then. */
  void freeze(VirtualScheduler owner, long untilNanos) {
    synchronized (lock) {
      var held = queue.stream().filter(t -> t.owner == owner && t.runAt - untilNanos < 0).toList();
      queue.removeAll(held);
      for (VirtualTask t : held) {
        t.runAt = untilNanos;
        queue.add(t);
      }
    }
  }

  /** Whether the calling thread is running a task of {@code owner} now. */
  boolean running(VirtualScheduler owner) {
    return running == owner && advancingThread() == Thread.currentThread();
  }

  private @Nullable Thread advancingThread() {
    synchronized (lock) {
      return advancing;
    }
  }

  Object lock() {
    return lock;
  }

  long nowLocked() {
    return now;
  }

  // ---- internals ------------------------------------------------------------------------

  private @Nullable VirtualTask pollDue(long limitNanos) {
    dropCancelled();
    VirtualTask head = queue.peek();
    if (head == null || head.runAt - limitNanos > 0) {
      return null;
    }
    queue.poll();
    if (head.runAt - now > 0) {
      now = head.runAt;
    }
    if (now != instantNanos) {
      instantNanos = now;
      instantTasks = 0;
      instantCounts.clear();
    }
    instantTasks++;
    instantCounts.merge(head.describe(), 1, Integer::sum);
    if (instantTasks > runawayLimit) {
      var worst = instantCounts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
      throw new RunawayException("runaway at " + Duration.ofNanos(now) + ": more than " + runawayLimit
          + " tasks ran without time passing; most often " + worst.getKey() + " (" + worst.getValue() + " times)");
    }
    tasksRun++;
    return head;
  }

  private void dropCancelled() {
    while (!queue.isEmpty() && queue.peek().cancelled()) {
      queue.poll();
    }
  }

  private void run(VirtualTask t) {
    VirtualScheduler outer = running;
    running = t.owner;
    try {
      t.task.run();
    } finally {
      running = outer;
    }
    if (t.period > 0 && !t.cancelled()) {
      synchronized (lock) {
        t.deadline += t.period;
        t.runAt = Math.max(t.deadline, t.owner.frozenUntil(now));
        t.sequence = nextSequence++;
        queue.add(t);
      }
    }
  }

  private void enter() {
    synchronized (lock) {
      if (advancing != null) {
        throw new IllegalStateException(advancing == Thread.currentThread()
            ? "a task must not advance the clock it runs on"
            : "the clock is being advanced by " + advancing.getName());
      }
      advancing = Thread.currentThread();
    }
  }

  private void exit() {
    synchronized (lock) {
      advancing = null;
    }
  }

  @Override
  public String toString() {
    return "VirtualClock[" + Duration.ofNanos(nanoTime()) + "]";
  }
}
