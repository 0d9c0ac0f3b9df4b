package io.ha4j.core.member;

import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.core.reconcile.ReconcilePasses;
import io.ha4j.core.reconcile.ReconcileReport;
import io.ha4j.core.reconcile.Reconciler;
import org.jspecify.annotations.Nullable;

/**
 * When a member's reconcile passes run while it is started: once at start, at once on every health
 * change of a real server (as ldirectord edits the table when a check fails), every interval, and
 * whenever the member asks. Each pass first runs the member's periodic look at the cluster, then
 * reports a pass that changed the table or failed. A member without a table runs no passes. Owned
 * by the member's scheduler thread.
 *
 * <p>Requests are coalesced ({@link ReconcilePasses}); a role change queued meanwhile waits for one
 * pass at most.
 */
final class ReconcileLoop {

  private final @Nullable Reconciler reconciler;
  private final ReconcilePasses passes;
  private final EventDelivery events;
  private final Runnable beforeEachPass;
  private final DesiredState desired;
  private boolean running;

  /** The passes of the table {@code b} configures, if any, over {@code desired}'s services. */
  ReconcileLoop(MemberBuilder b, EventDelivery events, DesiredState desired, Runnable beforeEachPass) {
    LoadBalancerTable table = b.table;
    this.reconciler = table == null ? null
        : new Reconciler(table, b.health, b.reconcileOptions,
            change -> events.emit(new MemberEvent.QuorumChanged(events.now(), change)));
    this.passes = new ReconcilePasses(b.scheduler, b.reconcileInterval, b.healthEngine, this::pass);
    this.events = events;
    this.desired = desired;
    this.beforeEachPass = beforeEachPass;
  }

  void start() {
    running = true;
    if (reconciler != null) {
      // A real server that fails leaves the table at once, not at the next periodic pass.
      passes.start();
    }
  }

  void stop() {
    running = false;
    passes.stop();
  }

  /** Runs a pass in a task of its own, unless one is queued already; from any thread. */
  void passSoon() {
    passes.passSoon();
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
