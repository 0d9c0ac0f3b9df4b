package io.ha4j.heartbeat;

import io.ha4j.api.Scheduler;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Calls an election's listeners: on the scheduler's thread, in order, never under the election's
 * lock. Calls are made under the lock and run later, queued on the scheduler, or, while an exact
 * timer expires on the scheduler's thread with no earlier call still queued, held and run by the
 * timer's own task as soon as it has left the lock ({@link #holdForTimer}). A take-over's listener
 * (the gratuitous ARP) then runs in the master-down timer's task, not one queue hop later (70 us on
 * a small VM), and the calls stay in order.
 */
final class ListenerDispatch {

  // The election's parts log as the election: one logger for the operator to turn up.
  private final Logger log;

  private final Scheduler scheduler;
  private final String name;
  private final List<ElectionListener> listeners = new CopyOnWriteArrayList<>();
  /** Calls queued on the scheduler and not yet run: a later call may only be held when none is. */
  private final AtomicInteger undelivered = new AtomicInteger();
  /** Guarded by the election's lock: while set, calls are held here instead of queued. */
  private @Nullable List<Runnable> held;

  ListenerDispatch(Scheduler scheduler, String name, Logger log) {
    this.log = log;
    this.scheduler = scheduler;
    this.name = name;
  }

  void add(ElectionListener listener) {
    listeners.add(listener);
  }

  /** Tells every listener of {@code change}. Under the election's lock. */
  void roleChanged(RoleChange change) {
    for (ElectionListener l : listeners) {
      deliver(() -> notify(l, x -> x.onRoleChange(change)));
    }
  }

  /** Tells every listener to announce the addresses again. Under the election's lock. */
  void reannounce(String why) {
    for (ElectionListener l : listeners) {
      deliver(() -> notify(l, x -> x.onReannounce(why)));
    }
  }

  /**
   * Runs {@code next} right after the listener calls made so far: at once when there are no
   * listeners, otherwise held or queued behind them. Under the election's lock.
   */
  void then(Runnable next) {
    if (listeners.isEmpty()) {
      next.run();
      return;
    }
    List<Runnable> h = held;
    if (h != null) {
      h.add(next);
    } else {
      scheduler.execute(next);
    }
  }

  /**
   * Runs {@code task} at once when there are no listeners, otherwise queued after their turn (a
   * log line that a take-over's gratuitous ARP and advertisement should not wait for).
   */
  void afterTheirTurn(Runnable task) {
    if (listeners.isEmpty()) {
      task.run();
    } else {
      scheduler.execute(task);
    }
  }

  /**
   * Starts holding the calls made while an exact timer expires, if this is the scheduler's thread
   * and no earlier call is still queued (a held call must not overtake it). Under the election's
   * lock, paired with {@link #stopHolding()}.
   *
   * @return the held calls, for the timer to run once it has left the lock; null if not holding
   */
  @Nullable List<Runnable> holdForTimer() {
    if (undelivered.get() != 0 || !scheduler.inSchedulerThread()) {
      return null;
    }
    List<Runnable> h = new ArrayList<>(4);
    held = h;
    return h;
  }

  /** Ends {@link #holdForTimer()}. Under the election's lock. */
  void stopHolding() {
    held = null;
  }

  private void deliver(Runnable call) {
    List<Runnable> h = held;
    if (h != null) {
      h.add(call);
      return;
    }
    undelivered.incrementAndGet();
    scheduler.execute(() -> {
      undelivered.decrementAndGet();
      call.run();
    });
  }

  private void notify(ElectionListener l, Consumer<ElectionListener> call) {
    try {
      call.accept(l);
    } catch (RuntimeException e) {
      log.error("{}: election listener {} failed", name, l, e);
    }
  }
}
