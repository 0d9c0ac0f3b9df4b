package io.ha4j.examples.quickstart;

import com.sun.net.httpserver.HttpServer;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.core.time.SystemScheduler;
import io.ha4j.api.VirtualService;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.core.health.HttpCheck;
import io.ha4j.api.health.Maintenance;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.core.reconcile.ReconcileOptions;
import io.ha4j.core.reconcile.ReconcileReport;
import io.ha4j.core.reconcile.Reconciler;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.ipvsadm.IpvsadmFormat;
import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What ldirectord does, embedded: HTTP health checks of three real servers drive an IPVS virtual
 * service, with a sorry server when all are down and a drain at the end.
 *
 * <p>The real servers are real HTTP servers on loopback and the checks are real HTTP requests. The
 * IPVS table is the real netlink client ({@link IpvsClient}) talking to the testkit's byte-level
 * fake kernel, so this runs anywhere without root; on a Linux director {@code IpvsClient.open()}
 * programs the kernel instead, with the same code.
 */
public final class HealthCheckedPool {

  private static final long START = System.nanoTime();

  private HealthCheckedPool() {}

  /** A loopback HTTP real server whose health endpoint can be made to fail. */
  private static final class Backend implements AutoCloseable {
    final HttpServer server;
    final AtomicBoolean healthy = new AtomicBoolean(true);

    Backend(String name) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.createContext("/health", exchange -> {
        boolean ok = healthy.get();
        byte[] body = (ok ? "OK " + name : "FAILING").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  public static void main(String[] args) throws Exception {
    System.out.println("ha4j quick start: three HTTP real servers behind TCP 198.51.100.10:80, health-checked.");
    System.out.println("The IPVS table is our netlink client on the testkit's fake kernel (no root needed).\n");
    List<Backend> backends = new ArrayList<>();
    try (SystemScheduler scheduler = new SystemScheduler("quickstart");
        IpvsClient ipvs = new IpvsClient(new FakeIpvsKernel(), scheduler.clock(), Duration.ofSeconds(2));
        HealthEngine health = new HealthEngine(scheduler)) {
      for (String name : List.of("rs1", "rs2", "rs3", "sorry")) {
        backends.add(new Backend(name));
      }
      InetAddress lo = InetAddress.getLoopbackAddress();
      ServiceKey vs = ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100.10"), 80);
      List<RealServer> pool = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        pool.add(RealServer.of(lo, backends.get(i).port()).withForwarding(ForwardingMethod.NAT).withWeight(i + 1));
      }
      RealServer sorry = RealServer.of(lo, backends.get(3).port()).withForwarding(ForwardingMethod.NAT);
      DesiredService desired = new DesiredService(VirtualService.of(vs, "wlc"), pool, sorry,
          FailureMode.REMOVE, io.ha4j.api.reconcile.Quorum.DEFAULT);

      Reconciler reconciler = new Reconciler(ipvs, health.lookup(), ReconcileOptions.DEFAULTS,
          change -> log("quorum", change.service() + (change.up() ? " regained" : " lost") + " quorum"));
      Runnable reconcile = () -> {
        ReconcileReport report = reconciler.reconcile(List.of(desired));
        for (TableOp op : report.ops()) {
          log("ipvs", op.describe());
        }
      };

      CheckSettings settings = CheckSettings.of(Duration.ofMillis(250), Duration.ofSeconds(1)).withRise(2).withFall(2);
      for (RealServer rs : pool) {
        HttpCheck check = HttpCheck.get("http://127.0.0.1:" + rs.port() + "/health").status(200).bodyMatches("^OK").build();
        health.register(HealthEngine.targetId(vs, rs.endpoint()), check, settings);
      }
      health.addListener(change -> {
        log("health", change.target() + "  " + change.previous() + " -> " + change.current()
            + (change.maintenance() != Maintenance.NONE ? " (" + change.maintenance() + ")" : "")
            + "  [" + change.detail() + "]");
        reconcile.run();
      });

      CountDownLatch done = new CountDownLatch(1);
      scheduler.execute(reconcile);
      scheduler.schedule(Duration.ofMillis(1500), () -> {
        show(ipvs, "all real servers up");
        log("inject", "rs2 starts answering 503");
        backends.get(1).healthy.set(false);
      });
      scheduler.schedule(Duration.ofMillis(3500), () -> {
        log("inject", "rs1 and rs3 fail too: the sorry server takes over");
        backends.get(0).healthy.set(false);
        backends.get(2).healthy.set(false);
      });
      scheduler.schedule(Duration.ofMillis(5500), () -> {
        show(ipvs, "every real server down");
        log("inject", "all real servers recover");
        backends.forEach(b -> b.healthy.set(true));
      });
      scheduler.schedule(Duration.ofMillis(7500), () -> {
        log("inject", "operator drains rs3 for maintenance (weight 0, connections finish)");
        health.setMaintenance(HealthEngine.targetId(vs, pool.get(2).endpoint()), Maintenance.DRAIN);
      });
      scheduler.schedule(Duration.ofMillis(8500), () -> {
        show(ipvs, "recovered, rs3 drained");
        ReconcileReport again = reconciler.reconcile(List.of(desired));
        log("summary", "a second pass over the settled table issued " + again.ops().size() + " ops (idempotent)");
        done.countDown();
      });
      done.await();
    } finally {
      backends.forEach(Backend::close);
    }
  }

  private static void show(IpvsClient ipvs, String title) {
    List<IpvsadmFormat.Entry> entries = new ArrayList<>();
    for (var s : ipvs.services()) {
      entries.add(new IpvsadmFormat.Entry(s, ipvs.destinations(s.service().key())));
    }
    System.out.println("\n--- ipvsadm -Ln: " + title + " ---");
    System.out.print(IpvsadmFormat.list(ipvs.info(), entries, IpvsadmFormat.Columns.DEFAULT, false));
    System.out.println();
  }

  private static void log(String kind, String text) {
    double t = (System.nanoTime() - START) / 1e9;
    System.out.printf(Locale.ROOT, "[%6.2f s] %-7s %s%n", t, kind, text);
  }
}
