package io.ha4j.testkit.vip;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Clock;
import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A single-threaded scheduler on a virtual clock for these tests: tasks run only inside {@link
 * #advance}, in deadline order. (The testkit's shared virtual scheduler lives on another branch;
 * fold this into it once merged.)
 */
final class ManualScheduler implements Scheduler {

  private record Task(long due, long order, long period, Runnable body, boolean[] cancelled) {}

  private final PriorityQueue<Task> queue = new PriorityQueue<>(
      (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
  private long now;
  private long order;

  @Override
  public Clock clock() {
    return () -> now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    return add(delay.toNanos(), 0, task);
  }

  @Override
  public synchronized Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
    return add(initialDelay.toNanos(), period.toNanos(), task);
  }

  private Cancellable add(long delay, long period, Runnable body) {
    boolean[] cancelled = new boolean[1];
    queue.add(new Task(now + delay, order++, period, body, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Runs everything due now. */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** Moves the clock forward by {@code d}, running each task when its time comes. */
  void advance(Duration d) {
    long end = now + d.toNanos();
    while (true) {
      Task t;
      synchronized (this) {
        t = queue.peek();
        if (t == null || t.due > end) {
          now = end;
          return;
        }
        queue.poll();
        now = t.due;
        if (t.cancelled[0]) {
          continue;
        }
        if (t.period > 0) {
          queue.add(new Task(t.due + t.period, order++, t.period, t.body, t.cancelled));
        }
      }
      t.body.run();
    }
  }
}
