package io.ha4j.core.member;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.core.reconcile.ReconcileReport;
import io.ha4j.core.reconcile.Reconciler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * When a member's reconcile passes run while it is started: once at start, at once on every health
 * change of a real server (as ldirectord edits the table when a check fails), every interval, and
 * whenever the member asks. Each pass first runs the member's periodic look at the cluster, then
 * reports a pass that changed the table or failed. A member without a table runs no passes. Owned
 * by the member's scheduler thread.
 *
 * <p>Requests are coalesced: at most one pass waits in the scheduler's queue, and every request
 * made before it starts is served by it. A pass reads the whole table and may wait seconds for the
 * kernel, so a storm of health changes (200 real servers failing at once) costs one pass per
 * pass's duration while the changes come, and one after them, not 200 queued behind each other;
 * a role change queued meanwhile waits for one pass at most.
 */
final class ReconcileLoop {

  private final @Nullable Reconciler reconciler;
  private final @Nullable HealthEngine health;
  private final Duration interval;
  private final Scheduler scheduler;
  private final EventDelivery events;
  private final Runnable beforeEachPass;
  private final DesiredState desired;
  private boolean running;
  /** A pass is queued and has not started: requests until it starts need no pass of their own. */
  private final AtomicBoolean queued = new AtomicBoolean();
  private @Nullable Cancellable timer;
  private @Nullable Cancellable healthSubscription;

  /** The passes of the table {@code b} configures, if any, over {@code desired}'s services. */
  ReconcileLoop(MemberBuilder b, EventDelivery events, DesiredState desired, Runnable beforeEachPass) {
    LoadBalancerTable table = b.table;
    this.reconciler = table == null ? null
        : new Reconciler(table, b.health, b.reconcileOptions,
            change -> events.emit(new MemberEvent.QuorumChanged(events.now(), change)));
    this.health = b.healthEngine;
    this.interval = b.reconcileInterval;
    this.scheduler = b.scheduler;
    this.events = events;
    this.desired = desired;
    this.beforeEachPass = beforeEachPass;
  }

  void start() {
    running = true;
    if (reconciler == null) {
      return;
    }
    HealthEngine engine = health;
    if (engine != null) {
      // A real server that fails leaves the table at once, not at the next periodic pass.
      healthSubscription = engine.addListener(change -> passSoon());
    }
    passSoon();
    timer = scheduler.scheduleAtFixedRate(interval, interval, this::passSoon);
  }

  void stop() {
    running = false;
    if (healthSubscription != null) {
      healthSubscription.cancel();
      healthSubscription = null;
    }
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  /** Runs a pass in a task of its own, unless one is queued already; from any thread. */
  void passSoon() {
    if (queued.compareAndSet(false, true)) {
      scheduler.execute(() -> {
        queued.set(false);
        pass();
      });
    }
  }

  /** Runs a pass now, with the desired services as they are. */
  void pass() {
    Reconciler r = reconciler;
    if (r == null || !running) {
      return;
    }
    beforeEachPass.run();
    try {
      ReconcileReport report = r.reconcile(desired.services());
      if (!report.ops().isEmpty() || !report.ok()) {
        events.emit(new MemberEvent.TableReconciled(events.now(), report));
      }
    } catch (RuntimeException e) {
      events.failure("reconcile the load-balancer table", e);
    }
  }
}
