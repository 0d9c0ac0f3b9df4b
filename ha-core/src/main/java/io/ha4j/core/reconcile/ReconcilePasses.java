package io.ha4j.core.reconcile;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import io.ha4j.core.health.HealthEngine;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * When reconcile passes run: once at start, at once on every health change of a real server (as
 * ldirectord edits the table when a check fails), every interval, and whenever asked; each in a
 * task of its own on the scheduler's thread.
 *
 * <p>Requests are coalesced: at most one pass waits in the scheduler's queue, and every request
 * made before it starts is served by it. A pass reads the whole table and may wait seconds for the
 * kernel, so a storm of health changes (200 real servers failing at once) costs one pass per
 * pass's duration while the changes come, and one after them, not 200 queued behind each other.
 */
public final class ReconcilePasses {

  private final Scheduler scheduler;
  private final Duration interval;
  private final @Nullable HealthEngine health;
  private final Runnable pass;
  /** A pass is queued and has not started: requests until it starts need no pass of their own. */
  private final AtomicBoolean queued = new AtomicBoolean();
  private @Nullable Cancellable timer;
  private @Nullable Cancellable healthSubscription;

  /** Passes of {@code pass} on {@code scheduler}, every {@code interval} and on each change {@code health} reports (if any). */
  public ReconcilePasses(Scheduler scheduler, Duration interval, @Nullable HealthEngine health, Runnable pass) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.health = health;
    this.pass = Objects.requireNonNull(pass, "pass");
  }

  /** Runs a first pass soon, then on every health change and every interval. */
  public void start() {
    HealthEngine engine = health;
    if (engine != null) {
      healthSubscription = engine.addListener(change -> passSoon());
    }
    passSoon();
    timer = scheduler.scheduleAtFixedRate(interval, interval, this::passSoon);
  }

  /** No more passes but those already queued. */
  public void stop() {
    Cancellable s = healthSubscription;
    healthSubscription = null;
    if (s != null) {
      s.cancel();
    }
    Cancellable t = timer;
    timer = null;
    if (t != null) {
      t.cancel();
    }
  }

  /** Runs a pass in a task of its own, unless one is queued already; from any thread. */
  public void passSoon() {
    if (queued.compareAndSet(false, true)) {
      scheduler.execute(() -> {
        queued.set(false);
        pass.run();
      });
    }
  }
}
