package io.ha4j.core.time;

import io.ha4j.api.Cancellable;
import java.util.Comparator;

/** A task in a {@link VirtualClock}'s queue. */
final class VirtualTask implements Cancellable {

  /** Run time first (late tasks of a frozen scheduler share one), then deadline, then FIFO. */
  static final Comparator<VirtualTask> ORDER = Comparator.<VirtualTask>comparingLong(t -> t.runAt)
      .thenComparingLong(t -> t.deadline)
      .thenComparingLong(t -> t.sequence);

  final VirtualScheduler owner;
  final Runnable task;
  final long period;
  long deadline;
  long runAt;
  long sequence;
  private volatile boolean cancelled;

  VirtualTask(VirtualScheduler owner, Runnable task, long deadline, long period, long sequence) {
    this.owner = owner;
    this.task = task;
    this.deadline = deadline;
    this.runAt = deadline;
    this.period = period;
    this.sequence = sequence;
  }

  @Override
  public void cancel() {
    cancelled = true;
  }

  boolean cancelled() {
    return cancelled;
  }

  String describe() {
    return "scheduler '" + owner.name() + "' task " + task;
  }
}
