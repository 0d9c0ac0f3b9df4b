package io.ha4j.api.internal;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Clock;
import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The scheduler of a take-over rehearsal: throwaway twins of a member's parts run their take-over
 * on it, on the caller's thread, in time of its own that passes only in {@link #runFor}. A task
 * that throws propagates: a rehearsal that fails says so instead of warming a broken path.
 *
 * <p>Why rehearse: a hot standby runs its take-over code once, when it matters, and the first run
 * of Java code is slow (interpreted, call sites and lambdas linked, classes loaded): about 0.3 ms
 * before the gratuitous ARP and a few ms of CPU after it on a small VM, where keepalived's C needs
 * 0.2 ms in all. Running the same code on twins that touch nothing gets it linked and compiled
 * ahead.
 */
public final class RehearsalScheduler implements Scheduler {

  private record Task(long dueNanos, long order, long periodNanos, Runnable body, boolean[] cancelled)
      implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long now;
  private long order;
  private final Clock clock = () -> now;

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    return add(delay, 0, task);
  }

  @Override
  public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive, was " + period);
    }
    return add(initialDelay, period.toNanos(), task);
  }

  /** Always: a rehearsal runs on one thread, which is this scheduler's for as long as it lasts. */
  @Override
  public boolean inSchedulerThread() {
    return true;
  }

  private Cancellable add(Duration delay, long periodNanos, Runnable task) {
    Objects.requireNonNull(task, "task");
    boolean[] cancelled = new boolean[1];
    queue.add(new Task(now + Math.max(0, delay.toNanos()), order++, periodNanos, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Runs every task that falls due within {@code duration} from now, in order, and moves time on by it. */
  public void runFor(Duration duration) {
    long end = now + duration.toNanos();
    while (true) {
      Task t = queue.peek();
      if (t == null || t.dueNanos() > end) {
        break;
      }
      queue.poll();
      if (t.cancelled()[0]) {
        continue;
      }
      now = Math.max(now, t.dueNanos());
      if (t.periodNanos() > 0) {
        queue.add(new Task(t.dueNanos() + t.periodNanos(), order++, t.periodNanos(), t.body(), t.cancelled()));
      }
      t.body().run();
    }
    now = end;
  }

  /** Tasks queued and not cancelled. */
  public int pending() {
    int n = 0;
    for (Task t : queue) {
      if (!t.cancelled()[0]) {
        n++;
      }
    }
    return n;
  }
}
