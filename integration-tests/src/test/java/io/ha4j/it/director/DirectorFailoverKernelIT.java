package io.ha4j.it.director;

import io.ha4j.director.DirectorMain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.ServiceKey;
import io.ha4j.examples.demo.real.ClientLoop;
import io.ha4j.examples.demo.real.LvsTopology;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsDestination;
import io.ha4j.ipvs.IpvsService;
import io.ha4j.testkit.vm.KernelTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * End to end, inside the ip_vs VM: a client, two directors ({@link DirectorMain} as separate JVMs
 * with IPVS, LVS-DR) and three real servers ({@code busybox httpd}) in namespaces on one bridge
 * ({@link LvsTopology}). The client asks the VIP every 50 ms on a fresh connection. Once it gets
 * answers through d1 (priority 150) from all three real servers: (1) {@code kill -9} of d1's JVM
 * alone; its VIP and IPVS table keep forwarding in its kernel until d2 takes over and the client
 * follows d2's gratuitous ARP. (2) d1 restarts, releases the VIP its crashed run left, and preempts
 * back. (3) d1's machine dies: {@code kill -9} of its JVM and its link down. Each time d2 must take
 * over within its master-down interval (RFC 5798 6.4.2: 3 x advert + skew) plus a margin for the
 * emulated VM, and the client's requests must succeed again through d2, whose IPVS table holds the
 * service and the three real servers. The gaps the client saw and the failed requests are printed.
 */
@KernelTest
class DirectorFailoverKernelIT {

  /** keepalived's default; sub-second adverts would turn emulation stalls into false fail-overs. */
  static final Duration ADVERT = Duration.ofSeconds(1);
  /** Java runs 15-25x slower under TCG: GARP, the client's 1 s timeouts, scheduling on 2 vCPUs. */
  static final Duration MARGIN = Duration.ofSeconds(5);
  static final Duration CLIENT_INTERVAL = Duration.ofMillis(50);
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(1);

  @Test
  void clientLoopSurvivesKillOfTheMasterDirector() throws Exception {
    Path dir = Files.createTempDirectory("e2e-director");
    LvsTopology t = LvsTopology.build("e2e", 2, 3, ADVERT, dir);
    ClientLoop loop = null;
    try {
      for (int r = 1; r <= 3; r++) {
        t.startRealServer(r);
      }
      t.startDirector(1, 150);
      t.startDirector(2, 100);
      await(t, "d1 is master (holds the VIP) and d2 is not", Duration.ofSeconds(240),
          () -> t.hasVip(1) && !t.hasVip(2));

      loop = new ClientLoop(t.clientNamespace(), new InetSocketAddress(InetAddress.getByName(LvsTopology.VIP),
          LvsTopology.PORT), CLIENT_INTERVAL, CLIENT_TIMEOUT);
      ClientLoop l = loop;
      // Settled: the JVMs' start-up stalls (seconds under TCG) are over, no recent failure.
      await(t, "the client gets answers from rs1, rs2 and rs3 through d1", Duration.ofSeconds(120),
          () -> t.clientVipDirector() == 1 && l.answersFrom(0, "rs1") > 0 && l.answersFrom(0, "rs2") > 0
              && l.answersFrom(0, "rs3") > 0 && l.outageAfter(l.nowMs() - 2000).failed() == 0
              && l.successesFrom(l.nowMs() - 2000) >= 5);
      assertTrue(t.hasVip(1) && !t.hasVip(2), "d1 must still be the only master" + t.logTails(30));

      Duration mdi = VrrpElection.masterDownInterval(100, ADVERT);
      long bound = mdi.plus(MARGIN).toMillis();

      // 1. kill -9 of the master's daemon alone: its VIP and IPVS table live on in its kernel, so
      //    the client keeps being served through d1 until d2's gratuitous ARP draws it to d2.
      long crashMs = loop.nowMs();
      long pid1 = t.killDirector(1);
      System.out.printf("[e2e] t=%d ms: kill -9 of master d1's daemon (pid %d), its machine stays up%n", crashMs, pid1);
      await(t, "d2 holds the VIP and the client goes through d2", Duration.ofSeconds(60),
          () -> t.hasVip(2) && t.clientVipDirector() == 2);
      long viaD2 = loop.nowMs();
      await(t, "the client keeps getting answers through d2 (20)", Duration.ofSeconds(60),
          () -> l.successesFrom(viaD2) >= 20);
      ClientLoop.Outage daemon = loop.outageAfter(crashMs);
      System.out.printf("[e2e] kill -9 of the master's daemon: client-visible gap %d ms, %d failed of %d requests"
          + " (ip_vs and the VIP outlive the daemon); the client went through d2 %d ms after the kill%n",
          daemon.gapMs(), daemon.failed(), daemon.total(), viaD2 - crashMs);
      assertTrue(daemon.gapMs() <= bound, "client-visible gap " + daemon.gapMs() + " ms > " + bound + t.logTails(40));

      // 2. d1 restarts on its machine: it releases the VIP its crashed run left, adopts the IPVS
      //    table, and takes the master role back by preemption (priority 150 over 100).
      t.startDirector(1, 150);
      await(t, "restarted d1 is master again and the client goes through d1", Duration.ofSeconds(240),
          () -> t.hasVip(1) && !t.hasVip(2) && t.clientVipDirector() == 1
              && l.outageAfter(l.nowMs() - 2000).failed() == 0 && l.successesFrom(l.nowMs() - 2000) >= 5);

      // 3. d1's machine dies: its link goes down first, then its JVM is killed. In that order
      //    because a host that loses power sends nothing: killed with its link up, d1's kernel
      //    would reset the death witness's connection and d2 would take over within milliseconds,
      //    before the client noticed (part 1 measures that case).
      Process d1 = t.director(1);
      long killMs = loop.nowMs();
      t.setDirectorLink(1, false);
      long pid = t.killDirector(1);
      System.out.printf("[e2e] t=%d ms: master d1's link down, then kill -9 of d1 (pid %d)%n", killMs, pid);
      assertTrue(d1 != null && !d1.isAlive());

      await(t, "d2 holds the VIP and the client's answers come through d2 again", Duration.ofSeconds(60),
          () -> t.hasVip(2) && t.clientVipDirector() == 2 && l.outageAfter(killMs).resumedAtMs() >= 0);
      long resumed = loop.outageAfter(killMs).resumedAtMs();
      await(t, "the client keeps getting answers through d2 (20 in a row)", Duration.ofSeconds(60),
          () -> l.successesFrom(resumed) >= 20 && l.outageAfter(killMs).resumedAtMs() == resumed);
      loop.close();
      ClientLoop.Outage o = loop.outageAfter(killMs);
      System.out.printf("[e2e] kill -9 of the master director with its machine: client-visible gap %d ms, %d failed of %d"
          + " requests after the kill; answers again %d ms after the kill (master-down interval %d ms, bound %d ms)%n",
          o.gapMs(), o.failed(), o.total(), o.resumedAtMs() - killMs, mdi.toMillis(), bound);
      loop.runs(crashMs - 1000, Long.MAX_VALUE).forEach(r -> System.out.println("[e2e] client " + r));
      t.directorEvents(2).stream().filter(e -> e.contains("role ") || e.contains("VIP "))
          .forEach(e -> System.out.println("[e2e] d2 " + e));
      assertTrue(o.gapMs() <= bound, "client-visible gap " + o.gapMs() + " ms > " + bound + t.logTails(40));
      assertTrue(o.failed() > 0, "with d1's link down the client must have seen the fail-over");
      assertTrue(o.failed() < o.total(), "the loop resumed");

      // The new master's IPVS table: the service with the three real servers, direct routing.
      ServiceKey key = ServiceKey.of(Protocol.TCP, InetAddress.getByName(LvsTopology.VIP), LvsTopology.PORT);
      try (IpvsClient ipvs = IpvsClient.open(t.directorNamespace(2))) {
        List<IpvsService> services = ipvs.services();
        assertEquals(1, services.size(), services.toString());
        assertEquals(key, services.get(0).service().key());
        List<IpvsDestination> dests = ipvs.destinations(key);
        System.out.printf("[e2e] d2's IPVS table: %s -> %s%n", key, dests.stream()
            .map(d -> d.realServer().endpoint() + " " + d.realServer().forwarding() + " w" + d.realServer().weight())
            .toList());
        assertEquals(3, dests.size(), dests.toString());
        for (IpvsDestination d : dests) {
          assertEquals(ForwardingMethod.DR, d.realServer().forwarding(), d.toString());
        }
      }
    } finally {
      if (loop != null) {
        loop.close();
      }
      t.close();
      deleteTree(dir);
    }
  }

  private static void await(LvsTopology t, String what, Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() - end < 0) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(what + ": not within " + limit + t.logTails(40));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
