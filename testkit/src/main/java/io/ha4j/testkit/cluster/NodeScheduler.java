package io.ha4j.testkit.cluster;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Clock;
import io.ha4j.api.Scheduler;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The scheduler of one incarnation of a simulated member, over a {@link VirtualScheduler} of the
 * cluster's timeline. It adds what a host does to a process:
 *
 * <ul>
 *   <li>a clock of its own that may run fast or slow ({@link #setRate}): delays are measured on it,
 *       and a timer pending when the rate changes is re-armed on the new rate, as a host's timers
 *       follow its clock when NTP slews it (a timer armed before a clock slows never fires before
 *       its deadline on that clock);
 *   <li>death ({@link #kill}): nothing scheduled runs any more, as when the host crashes;
 *   <li>stalls ({@link #stall}): timers due meanwhile run late when the stall ends, and datagrams
 *       that arrive meanwhile wait in the socket ({@link #socket()}) and are handed over only after
 *       the overdue timers ran. That is the worse of the two orders a real GC pause allows (the
 *       receive thread and the timer thread race when it ends), and the one a stall guard is for.
 * </ul>
 */
final class NodeScheduler implements Scheduler {

  private final VirtualClock timeline;
  private final VirtualScheduler delegate;
  private final DriftingClock clock;
  private final List<Runnable> socketBuffer = new ArrayList<>();
  /** Timers not yet due, in the order they were armed: re-armed when the rate changes. */
  private final Set<Timer> pending = new LinkedHashSet<>();
  private final Scheduler socket = new Socket();
  private boolean dead;
  private boolean stalled;

  NodeScheduler(VirtualClock timeline, String name, double rate) {
    this.timeline = Objects.requireNonNull(timeline, "timeline");
    this.delegate = timeline.newScheduler(name);
    this.clock = new DriftingClock(timeline, rate);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    if (dead) {
      return () -> { };
    }
    return new Timer(guarded(task), clock.nanoTime() + delay.toNanos(), 0).arm();
  }

  @Override
  public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
    Objects.requireNonNull(task, "task");
    if (dead) {
      return () -> { };
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive, was " + period);
    }
    return new Timer(guarded(task), clock.nanoTime() + initialDelay.toNanos(), period.toNanos()).arm();
  }

  @Override
  public boolean inSchedulerThread() {
    return delegate.inSchedulerThread();
  }

  /** Where the network hands received datagrams: held while the member stalls. */
  Scheduler socket() {
    return socket;
  }

  /** From now on the member's clock runs at {@code rate} times true time. */
  void setRate(double rate) {
    clock.setRate(rate);
    for (Timer t : List.copyOf(pending)) {
      t.rearm();
    }
  }

  /** The host died: nothing of this incarnation runs again. */
  void kill() {
    dead = true;
    socketBuffer.clear();
    for (Timer t : List.copyOf(pending)) {
      t.cancel();
    }
  }

  boolean dead() {
    return dead;
  }

  /** Stands still for {@code d} of true time; {@link #resume()} must be called when it ends. */
  void stall(Duration d) {
    if (dead) {
      return;
    }
    stalled = true;
    delegate.freeze(d);
  }

  /** The stall is over: the datagrams that waited in the socket are handed over, in arrival order. */
  void resume() {
    stalled = false;
    List<Runnable> held = List.copyOf(socketBuffer);
    socketBuffer.clear();
    for (Runnable r : held) {
      execute(r);
    }
  }

  private Runnable guarded(Runnable task) {
    return () -> {
      if (!dead) {
        task.run();
      }
    };
  }

  /**
   * A one-shot or fixed-rate timer whose deadline is on the member's clock; on the timeline it is
   * one task at a time, armed for the true time the clock takes to reach the deadline at its
   * current rate.
   */
  private final class Timer implements Cancellable {
    private final Runnable task;
    private final long periodNanos;
    private long deadline;
    private Cancellable armed = () -> { };
    private boolean cancelled;

    Timer(Runnable task, long deadline, long periodNanos) {
      this.task = task;
      this.deadline = deadline;
      this.periodNanos = periodNanos;
    }

    Timer arm() {
      pending.add(this);
      armed = delegate.schedule(clock.toTimeline(Duration.ofNanos(Math.max(0, deadline - clock.nanoTime()))), this::fire);
      return this;
    }

    void rearm() {
      armed.cancel();
      arm();
    }

    private void fire() {
      pending.remove(this);
      if (cancelled) {
        return;
      }
      task.run();
      if (periodNanos > 0 && !cancelled) {
        // Fixed rate on the member's clock: the next deadline follows the planned one, not the run
        // (late runs catch up back to back, as VirtualScheduler's do); one that throws runs no more.
        deadline += periodNanos;
        arm();
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      pending.remove(this);
      armed.cancel();
    }
  }

  private final class Socket implements Scheduler {
    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      return NodeScheduler.this.schedule(delay, task);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
      return NodeScheduler.this.scheduleAtFixedRate(initialDelay, period, task);
    }

    @Override
    public void execute(Runnable task) {
      if (dead) {
        return;
      }
      if (stalled) {
        socketBuffer.add(task);
      } else {
        NodeScheduler.this.execute(task);
      }
    }
  }

  /** A member's clock: true time scaled by a rate, continuous across rate changes. */
  static final class DriftingClock implements Clock {
    private final VirtualClock timeline;
    private long baseNode;
    private long baseTimeline;
    private double rate;

    DriftingClock(VirtualClock timeline, double rate) {
      this.timeline = timeline;
      this.baseTimeline = timeline.nanoTime();
      this.baseNode = baseTimeline;
      this.rate = rate;
    }

    @Override
    public long nanoTime() {
      return baseNode + (long) Math.floor((timeline.nanoTime() - baseTimeline) * rate);
    }

    void setRate(double r) {
      baseNode = nanoTime();
      baseTimeline = timeline.nanoTime();
      rate = r;
    }

    /** The true time it takes this clock to advance by {@code d}, rounded up so no timer fires early. */
    Duration toTimeline(Duration d) {
      if (rate == 1.0) {
        return d;
      }
      return Duration.ofNanos((long) Math.ceil(d.toNanos() / rate));
    }
  }
}
