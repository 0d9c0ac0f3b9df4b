package io.ha4j.director;

import io.ha4j.api.Scheduler;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.api.table.TableOp;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.core.reconcile.QuorumListener;
import io.ha4j.core.reconcile.ReconcilePasses;
import io.ha4j.core.reconcile.ReconcileOptions;
import io.ha4j.core.reconcile.ReconcileReport;
import io.ha4j.core.reconcile.Reconciler;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;

/**
 * LVS-only mode (a file with {@code virtual_server} blocks and no {@code vrrp_instance}): the
 * checks alone drive the IPVS table, with no election and no VIP, as ldirectord does and as
 * keepalived does on every node it runs on. A pass runs at start, at once on every health change
 * (coalesced: at most one waits in the queue) and every {@link #REPAIR_INTERVAL} to repair changes
 * made behind its back; each on {@code scheduler}'s thread.
 */
final class ChecksDrivenTable implements AutoCloseable {

  /** The periodic pass: ldirectord's checkinterval, as the member's reconcile interval. */
  static final Duration REPAIR_INTERVAL = Duration.ofSeconds(5);

  private final Reconciler reconciler;
  private final List<DesiredService> services;
  private final ReconcilePasses passes;
  private final Logger log;

  ChecksDrivenTable(LoadBalancerTable table, HealthEngine health, List<DesiredService> services, boolean alpha,
      QuorumListener quorum, Scheduler scheduler, Logger log) {
    this.reconciler = new Reconciler(table, health.lookup(), ReconcileOptions.DEFAULTS.withAlpha(alpha), quorum);
    this.services = List.copyOf(services);
    this.passes = new ReconcilePasses(scheduler, REPAIR_INTERVAL, health, this::pass);
    this.log = log;
  }

  void start() {
    passes.start();
  }

  private void pass() {
    try {
      ReconcileReport report = reconciler.reconcile(services);
      for (TableOp op : report.ops()) {
        log.info("table: {}", op.describe());
      }
      if (report.error() != null) {
        log.warn("table: {}", String.valueOf(report.error()));
      }
    } catch (RuntimeException e) {
      log.warn("reconcile the load-balancer table failed: {}", e.toString());
    }
  }

  /** Stops the passes; the table stays as it is, so that a restart adopts it without dropping connections. */
  @Override
  public void close() {
    passes.stop();
  }
}
