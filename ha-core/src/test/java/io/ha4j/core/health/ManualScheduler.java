package io.ha4j.core.health;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Clock;
import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.PriorityQueue;

/** A scheduler whose clock moves only when the test runs it: exact, repeatable timelines. */
final class ManualScheduler implements Scheduler {

  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  // Deliberately not on a millisecond boundary.
  private long now = 7_000_000_123L;
  private long sequence;

  private static final class Entry implements Comparable<Entry> {
    final long at;
    final long seq;
    final Runnable task;
    boolean cancelled;

    Entry(long at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Entry o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }

  @Override
  public synchronized Clock clock() {
    return this::now;
  }

  private synchronized long now() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    var e = new Entry(now + delay.toNanos(), sequence++, task);
    queue.add(e);
    return () -> e.cancelled = true;
  }

  @Override
  public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
    throw new UnsupportedOperationException("the health engine does not use fixed-rate tasks");
  }

  /** Runs every task due up to {@code duration} from now, in deadline order, moving the clock. */
  synchronized void runFor(Duration duration) {
    long end = now + duration.toNanos();
    Entry e;
    while ((e = queue.peek()) != null && e.at <= end) {
      queue.poll();
      now = Math.max(now, e.at);
      if (!e.cancelled) {
        e.task.run();
      }
    }
    now = end;
  }
}
