package io.ha4j.bench.reconcile;

import io.ha4j.core.reconcile.ReconcileOptions;
import io.ha4j.core.reconcile.Reconciler;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.api.reconcile.HealthLookup;
import io.ha4j.api.reconcile.RealServerStatus;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.TableEntry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints how long {@link Reconciler#plan} takes over a large table where 1% of the real servers
 * changed health since the last pass. Run by hand: {@code java -cp <test-classes>:<classes>:<deps>
 * io.ha4j.bench.reconcile.PlanBenchmark [services] [realServersPerService]}.
 */
public final class PlanBenchmark {

  private PlanBenchmark() {}

  public static void main(String[] args) throws UnknownHostException {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int perService = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<DesiredService> desired = new ArrayList<>();
    for (int s = 0; s < services; s++) {
      var key = ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100." + (s % 250 + 1)), 1000 + s);
      List<RealServer> pool = new ArrayList<>();
      for (int r = 0; r < perService; r++) {
        pool.add(RealServer.of(InetAddress.getByName("203.0.113." + (r % 250 + 1)), 8000 + r / 250));
      }
      desired.add(DesiredService.of(VirtualService.of(key, "wlc"), pool).withFailureMode(FailureMode.QUIESCE));
    }
    HealthLookup allUp = HealthLookup.allUp();
    List<TableEntry> settled = Reconciler.plan(desired, List.of(), allUp, ReconcileOptions.DEFAULTS).target();
    // every 100th real server goes down: 1% of the table needs an update
    HealthLookup onePercentDown = (k, e) -> Math.floorMod(k.hashCode() ^ e.hashCode(), 100) == 0
        ? RealServerStatus.DOWN : RealServerStatus.UP;
    int ops = 0;
    for (int warm = 0; warm < 20; warm++) {
      ops = Reconciler.plan(desired, settled, onePercentDown, ReconcileOptions.DEFAULTS).ops().size();
    }
    int rounds = 50;
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      ops = Reconciler.plan(desired, settled, onePercentDown, ReconcileOptions.DEFAULTS).ops().size();
    }
    double ms = (System.nanoTime() - start) / 1e6 / rounds;
    System.out.printf("plan: %d services x %d real servers, %d ops: %.2f ms per plan%n", services, perService, ops, ms);
  }
}
