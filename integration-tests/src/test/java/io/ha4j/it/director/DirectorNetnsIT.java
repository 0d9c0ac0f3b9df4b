package io.ha4j.it.director;

import io.ha4j.director.DirectorMain;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

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

  static final Duration ADVERT = Duration.ofMillis(100);
  static final String VIP = "198.51.100.100";
  /** JVM scheduling on two shared cores, the netlink round trips and the `ip` polling. */
  static final Duration MARGIN = Duration.ofMillis(400);

  @Test
  void vipFollowsTheElectionOnKillAndOnGracefulStop() throws Exception {
    Path dir = Files.createTempDirectory("director-netns");
    try (NetnsRig rig = NetnsRig.bridge("dir", 3)) {
      rig.start(3, NetnsRig.javaCommand(TinyHttpServer.class.getName(), rig.address(3).getHostAddress(), "8080"),
          dir.resolve("n3.log").toFile());
      Path c1 = writeConfig(dir, rig, 1, 2, 150);
      Path c2 = writeConfig(dir, rig, 2, 1, 100);
      Path log1 = dir.resolve("d1.log");
      Path log2 = dir.resolve("d2.log");
      Process d1 = startDirector(rig, 1, c1, log1);
      Process d2 = startDirector(rig, 2, c2, log2);

      await("n1 owns the VIP", Duration.ofSeconds(30), () -> hasVip(rig, 1), log1, log2);
      await("the real server in n3 is checked UP by n1",
          Duration.ofSeconds(15), () -> contains(log1, "198.51.100.3:8080: UNKNOWN -> UP"), log1, log2);
      Thread.sleep(5 * ADVERT.toMillis());
      assertFalse(hasVip(rig, 2), "n2 must not hold the VIP while n1 is master\n" + read(log2));
      assertTrue(d1.isAlive() && d2.isAlive());

      // kill -9: no hand-over, the VIP stays on n1's interface; n2 takes over after its
      // master-down interval.
      Duration tookKill = vipMovesToN2(rig, "kill -9", d1::destroyForcibly, log1, log2);
      Duration mdi = VrrpElection.masterDownInterval(100, ADVERT);
      System.out.printf("[director netns] kill -9 of master n1 (pid %d) -> VIP on n2 after %d ms "
          + "(master-down interval %d ms, bound %d ms)%n", d1.pid(), tookKill.toMillis(), mdi.toMillis(),
          mdi.plus(MARGIN).toMillis());
      assertTrue(tookKill.compareTo(mdi.plus(MARGIN)) <= 0, "kill -9 takeover took " + tookKill);
      d1.waitFor();
      assertTrue(hasVip(rig, 1), "kill -9 leaves the VIP on n1 (nothing ran to remove it)");

      // Restart n1: it releases the stale VIP at once, then preempts n2.
      Process d1again = startDirector(rig, 1, c1, log1);
      await("restarted n1 owns the VIP again and n2 released it", Duration.ofSeconds(30),
          () -> hasVip(rig, 1) && !hasVip(rig, 2), log1, log2);

      // SIGTERM: member.stop() sends priority 0, so n2 takes over after its skew time only.
      Duration tookTerm = vipMovesToN2(rig, "SIGTERM", d1again::destroy, log1, log2);
      Duration skew = VrrpElection.skewTime(100, ADVERT);
      System.out.printf("[director netns] SIGTERM of master n1 (pid %d) -> VIP on n2 after %d ms "
          + "(skew time %d ms, bound %d ms; kill -9 took %d ms)%n", d1again.pid(), tookTerm.toMillis(),
          skew.toMillis(), skew.plus(MARGIN).toMillis(), tookKill.toMillis());
      assertTrue(tookTerm.compareTo(skew.plus(MARGIN)) <= 0, "SIGTERM hand-over took " + tookTerm);
      assertTrue(d1again.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "n1 did not exit on SIGTERM");
      assertFalse(hasVip(rig, 1), "a graceful stop releases the VIP\n" + read(log1));
      assertTrue(contains(log1, "VIP " + VIP + "/24 dev " + rig.interfaceName(1) + " released"), read(log1));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** Runs {@code stop} on n1's director and measures until n2 holds the VIP. */
  private static Duration vipMovesToN2(NetnsRig rig, String how, Runnable stop, Path log1, Path log2)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    stop.run();
    await("n2 owns the VIP after " + how + " of n1", Duration.ofSeconds(10), () -> hasVip(rig, 2), log1, log2);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static Path writeConfig(Path dir, NetnsRig rig, int self, int peer, int priority) throws IOException {
    String text = """
        global_defs {
          router_id director-%d
          notification_email {
            ops@example.org
          }
        }
        vrrp_instance VI_1 {
          state BACKUP
          interface %s
          virtual_router_id 51
          priority %d
          advert_int 0.1
          unicast_src_ip %s
          unicast_peer {
            %s
          }
          ha4j_key 1 "netns test secret of 16+ bytes"
          virtual_ipaddress {
            %s/24 dev %s
          }
        }
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
        """.formatted(self, rig.interfaceName(self), priority, rig.address(self).getHostAddress(),
        rig.address(peer).getHostAddress(), VIP, rig.interfaceName(self), VIP, rig.address(3).getHostAddress());
    Path p = dir.resolve("d" + self + ".conf");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static Process startDirector(NetnsRig rig, int host, Path config, Path log) {
    return rig.start(host, NetnsRig.javaCommand(DirectorMain.class.getName(), "--no-ipvs", config.toString()), log.toFile());
  }

  private static boolean hasVip(NetnsRig rig, int host) {
    return rig.hasAddress(host, VIP);
  }

  private static void await(String what, Duration limit, BooleanSupplier condition, Path... logs)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() - end < 0) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(10);
    }
    StringBuilder all = new StringBuilder(what + ": not within " + limit);
    for (Path log : logs) {
      all.append("\n--- ").append(log.getFileName()).append('\n').append(read(log));
    }
    throw new AssertionError(all.toString());
  }

  private static boolean contains(Path log, String text) {
    try {
      return read(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
