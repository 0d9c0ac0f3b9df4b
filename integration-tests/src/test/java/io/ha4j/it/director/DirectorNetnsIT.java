package io.ha4j.it.director;

import io.ha4j.director.DirectorMain;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two directors ({@link DirectorMain} as separate JVMs, {@code --no-ipvs}: this kernel has no
 * ip_vs) in n1 and n2 of a bridged namespace rig, unicast to each other, with an HTTP real server
 * in n3. The VIP follows the election: the higher priority owns it; {@code kill -9} moves it within
 * the backup's master-down interval (RFC 5798 6.4.2) plus a margin for the JVMs and the polling;
 * SIGTERM (a priority-0 advertisement, RFC 5798 6.4.3) moves it within the skew time plus the same
 * margin; a restarted director first releases the VIP it left behind, then preempts.
 */
@NetnsTest
class DirectorNetnsIT {

  static final Duration ADVERT = DirectorHosts.ADVERT;
  static final String VIP = DirectorHosts.VIP;
  /** JVM scheduling on two shared cores, the netlink round trips and the `ip` polling. */
  static final Duration MARGIN = Duration.ofMillis(400);

  @Test
  void vipFollowsTheElectionOnKillAndOnGracefulStop(@TempDir Path dir) throws Exception {
    try (DirectorHosts d = DirectorHosts.bridge("dir", 3, dir)) {
      NetnsRig rig = d.rig;
      rig.start(3, NetnsRig.javaCommand(TinyHttpServer.class.getName(), rig.address(3).getHostAddress(), "8080"),
          d.file("n3.log").toFile());
      String realServer = """
          virtual_server %s 80 {
            delay_loop 0.5
            lb_algo rr
            lb_kind DR
            real_server %s 8080 {
              HTTP_GET {
                url {
                  path /health
                  status_code 200
                }
                connect_timeout 1
              }
            }
          }
          """.formatted(VIP, rig.address(3).getHostAddress());
      Path c1 = d.config(1, 2, "director-1", 150, realServer);
      Path c2 = d.config(2, 1, "director-2", 100, realServer);
      Path log1 = d.log(1);
      Path log2 = d.log(2);
      Process d1 = d.start(1, c1);
      Process d2 = d.start(2, c2);

      d.await("n1 owns the VIP", Duration.ofSeconds(30), () -> d.hasVip(1));
      d.await("the real server in n3 is checked UP by n1",
          Duration.ofSeconds(15), () -> d.contains(log1, "198.51.100.3:8080: UNKNOWN -> UP"));
      Thread.sleep(5 * ADVERT.toMillis());
      assertFalse(d.hasVip(2), "n2 must not hold the VIP while n1 is master\n" + d.read(log2));
      assertTrue(d1.isAlive() && d2.isAlive());

      // kill -9: no hand-over, the VIP stays on n1's interface; n2 takes over after its
      // master-down interval.
      Duration tookKill = vipMovesToN2(d, "kill -9", d1::destroyForcibly);
      Duration mdi = VrrpElection.masterDownInterval(100, ADVERT);
      System.out.printf("[director netns] kill -9 of master n1 (pid %d) -> VIP on n2 after %d ms "
          + "(master-down interval %d ms, bound %d ms)%n", d1.pid(), tookKill.toMillis(), mdi.toMillis(),
          mdi.plus(MARGIN).toMillis());
      assertTrue(tookKill.compareTo(mdi.plus(MARGIN)) <= 0, "kill -9 takeover took " + tookKill);
      d1.waitFor();
      assertTrue(d.hasVip(1), "kill -9 leaves the VIP on n1 (nothing ran to remove it)");

      // Restart n1: it releases the stale VIP at once, then preempts n2.
      Process d1again = d.start(1, c1);
      d.await("restarted n1 owns the VIP again and n2 released it", Duration.ofSeconds(30),
          () -> d.hasVip(1) && !d.hasVip(2));

      // SIGTERM: member.stop() sends priority 0, so n2 takes over after its skew time only.
      Duration tookTerm = vipMovesToN2(d, "SIGTERM", d1again::destroy);
      Duration skew = VrrpElection.skewTime(100, ADVERT);
      System.out.printf("[director netns] SIGTERM of master n1 (pid %d) -> VIP on n2 after %d ms "
          + "(skew time %d ms, bound %d ms; kill -9 took %d ms)%n", d1again.pid(), tookTerm.toMillis(),
          skew.toMillis(), skew.plus(MARGIN).toMillis(), tookKill.toMillis());
      assertTrue(tookTerm.compareTo(skew.plus(MARGIN)) <= 0, "SIGTERM hand-over took " + tookTerm);
      assertTrue(d1again.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "n1 did not exit on SIGTERM");
      assertFalse(d.hasVip(1), "a graceful stop releases the VIP\n" + d.read(log1));
      assertTrue(d.contains(log1, "VIP " + VIP + "/24 dev " + rig.interfaceName(1) + " released"), d.read(log1));
    }
  }

  /** Runs {@code stop} on n1's director and measures until n2 holds the VIP. */
  private static Duration vipMovesToN2(DirectorHosts d, String how, Runnable stop)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    stop.run();
    d.await("n2 owns the VIP after " + how + " of n1", Duration.ofSeconds(10), () -> d.hasVip(2));
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
