package io.ha4j.director;

import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.core.time.SystemScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Starts a director in LVS-only mode (a file with virtual servers and no {@code vrrp_instance}):
 * the real servers' checks and a {@link ChecksDrivenTable}, on one scheduler thread; SIGTERM closes
 * them and leaves the table as it is.
 */
final class LvsOnlyDirector {

  private LvsOnlyDirector() {}

  /**
   * LVS-only mode: the checks drive the table on their own, with no election and no VIP. If the
   * table cannot be opened, what was started is closed and the exception thrown.
   */
  static void start(DirectorConfig config, boolean noIpvs, Supplier<LoadBalancerTable> table,
      Logger log) {
    SystemScheduler scheduler = new SystemScheduler("member");
    List<AutoCloseable> resources = new ArrayList<>();
    resources.add(scheduler);
    try {
      lvsOnly(config, noIpvs, table, scheduler, resources, log);
    } catch (RuntimeException e) {
      DirectorMain.close(resources, log);
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> DirectorMain.close(resources, log), "director-stop"));
    log.info("director started LVS-only (no vrrp_instance: no election, no VIP): {} virtual servers",
        config.virtualServers().size());
  }

  private static void lvsOnly(DirectorConfig config, boolean noIpvs, Supplier<LoadBalancerTable> table,
      SystemScheduler scheduler, List<AutoCloseable> resources, Logger log) {
    HealthEngine health = DirectorMain.checks(config, scheduler, resources, log);
    QuorumScripts scripts = new QuorumScripts(config.virtualServers(), log);
    if (noIpvs) {
      log.info("--no-ipvs: LVS-only, the {} virtual servers are checked but not programmed", config.virtualServers().size());
    } else {
      LoadBalancerTable ipvs = table.get();
      resources.add(ipvs);
      ChecksDrivenTable driven = new ChecksDrivenTable(ipvs, health,
          config.virtualServers().stream().map(VirtualServerConfig::service).toList(),
          config.virtualServers().stream().anyMatch(VirtualServerConfig::alpha), change -> {
            log.info("quorum: {}", change);
            scripts.changed(change);
          }, scheduler, log);
      resources.add(driven);
      driven.start();
    }
  }
}
