package io.ha4j.examples.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.testkit.netns.ExecResult;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Two {@link EmbeddedApp} JVMs in n1 (priority 150) and n2 (priority 100) of a bridged namespace
 * rig, 100 ms adverts; a client in n3 ({@link HttpProbe}, a fresh connection every 20 ms) asks the
 * VIP who answers. After {@code kill -9} of n1 the answers come from n2 within the backup's
 * master-down interval (RFC 5798 6.4.2) plus a margin for the JVMs, the gratuitous ARP and the
 * client's timeouts; a restarted n1 preempts (RFC 5798 6.4.3); SIGTERM hands over and releases the
 * VIP.
 */
@NetnsTest
class EmbeddedAppNetnsIT {

  static final Duration ADVERT = Duration.ofMillis(100);
  static final String VIP = "198.51.100.100";
  static final int HTTP_PORT = 8080;
  static final long PROBE_INTERVAL_MS = 20;
  /** JVM scheduling on two shared cores, the neighbour update in n3 and the client's 250 ms timeouts. */
  static final Duration MARGIN = Duration.ofMillis(800);

  @Test
  void theMasterServesTheVipAcrossKillRestartAndGracefulStop() throws Exception {
    Path dir = Files.createTempDirectory("embedded-app-netns");
    try (NetnsRig rig = NetnsRig.bridge("embapp", 3)) {
      Path log1 = dir.resolve("n1.log");
      Path log2 = dir.resolve("n2.log");
      Path probe = dir.resolve("probe.log");
      Process a1 = startApp(rig, 1, 2, 150, log1);
      Process a2 = startApp(rig, 2, 1, 100, log2);
      rig.start(3, NetnsRig.javaCommand(HttpProbe.class.getName(), VIP, String.valueOf(HTTP_PORT), "/",
          String.valueOf(PROBE_INTERVAL_MS)), probe.toFile());

      await("n3 gets an answer from n1 through the VIP", Duration.ofSeconds(30),
          () -> contains(probe, "ok hello from n1 (role MASTER)"), log1, log2, probe);
      String status = get(rig, "/ha");
      assertTrue(status.contains("\"nodeId\": \"n1\", \"role\": \"MASTER\", \"effectivePriority\": 150")
          && status.contains("\"vipsOwned\": [\"" + VIP + "/24 dev " + rig.interfaceName(1) + "\"]"), status);
      assertTrue(a1.isAlive() && a2.isAlive());

      // kill -9: nothing hands over; n2 takes over after its master-down interval.
      int mark = lines(probe).size();
      a1.destroyForcibly();
      Switch kill = awaitSwitch(probe, mark, "n1", "n2", log1, log2);
      Duration mdi = VrrpElection.masterDownInterval(100, ADVERT);
      System.out.printf("[embedded-app netns] kill -9 of master n1 (pid %d): client-visible gap %d ms, "
          + "%d failed requests (master-down interval %d ms, bound %d ms)%n", a1.pid(), kill.gapMs, kill.failed,
          mdi.toMillis(), mdi.plus(MARGIN).toMillis());
      assertTrue(kill.gapMs <= mdi.plus(MARGIN).toMillis(), "kill -9 gap " + kill.gapMs + " ms");
      a1.waitFor();

      // Restart n1: it preempts n2 and answers again.
      mark = lines(probe).size();
      Process a1again = startApp(rig, 1, 2, 150, log1);
      Switch preempt = awaitSwitch(probe, mark, "n2", "n1", log1, log2);
      System.out.printf("[embedded-app netns] restarted n1 preempts: client-visible gap %d ms, %d failed requests%n",
          preempt.gapMs, preempt.failed);
      await("n2 is backup again", Duration.ofSeconds(5),
          () -> !hasVip(rig, 2), log1, log2, probe);

      // SIGTERM: priority 0 and the VIP released, so n2 answers after its skew time.
      mark = lines(probe).size();
      a1again.destroy();
      Switch term = awaitSwitch(probe, mark, "n1", "n2", log1, log2);
      Duration skew = VrrpElection.skewTime(100, ADVERT);
      System.out.printf("[embedded-app netns] SIGTERM of master n1: client-visible gap %d ms, %d failed requests "
          + "(skew time %d ms, bound %d ms)%n", term.gapMs, term.failed, skew.toMillis(), skew.plus(MARGIN).toMillis());
      assertTrue(term.gapMs <= skew.plus(MARGIN).toMillis(), "SIGTERM gap " + term.gapMs + " ms");
      assertTrue(a1again.waitFor(10, TimeUnit.SECONDS), "n1 did not exit on SIGTERM\n" + read(log1));
      assertFalse(hasVip(rig, 1), "a graceful stop releases the VIP\n" + read(log1));
      assertTrue(contains(log1, "VIP " + VIP + "/24 dev " + rig.interfaceName(1) + " released"), read(log1));
      assertTrue(get(rig, "/").startsWith("hello from n2 (role MASTER)"));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          System.out.println("--- " + p.getFileName() + " (tail)");
          List<String> l = lines(p);
          l.subList(Math.max(0, l.size() - 15), l.size()).forEach(System.out::println);
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** The answers moved from {@code from} to {@code to}: time between the last and the first, failures between. */
  record Switch(long gapMs, int failed) {}

  private static Switch awaitSwitch(Path probe, int mark, String from, String to, Path... logs)
      throws IOException, InterruptedException {
    String target = "ok hello from " + to + " ";
    await("n3 gets answers from " + to, Duration.ofSeconds(15), () -> {
      try {
        return lines(probe).stream().skip(mark).anyMatch(l -> l.contains(target));
      } catch (IOException e) {
        return false;
      }
    }, concat(logs, probe));
    List<String> l = lines(probe);
    int first = mark;
    while (!l.get(first).contains(target)) {
      first++;
    }
    int last = first - 1;
    while (last >= 0 && !l.get(last).contains("ok hello from " + from + " ")) {
      last--;
    }
    assertTrue(last >= 0, "no answer from " + from + " before " + to);
    int failed = 0;
    for (int i = last + 1; i < first; i++) {
      assertTrue(l.get(i).contains(" fail "), "between the last answer of " + from + " and the first of " + to
          + " only failures: " + l.get(i));
      failed++;
    }
    return new Switch(millis(l.get(first)) - millis(l.get(last)), failed);
  }

  private static Path[] concat(Path[] logs, Path more) {
    Path[] all = java.util.Arrays.copyOf(logs, logs.length + 1);
    all[logs.length] = more;
    return all;
  }

  private static long millis(String probeLine) {
    return Long.parseLong(probeLine.substring(0, probeLine.indexOf(' ')));
  }

  /** One GET to the VIP from n3. */
  private static String get(NetnsRig rig, String path) {
    List<String> cmd = NetnsRig.javaCommand(HttpProbe.class.getName(), VIP, String.valueOf(HTTP_PORT), path);
    ExecResult r = rig.exec(3, cmd.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.toString());
    return r.stdout();
  }

  private static Process startApp(NetnsRig rig, int self, int peer, int priority, Path log) {
    return rig.start(self, NetnsRig.javaCommand(EmbeddedApp.class.getName(),
        "--node-id", "n" + self, "--priority", String.valueOf(priority),
        "--bind", rig.address(self).getHostAddress(), "--peer", rig.address(peer).getHostAddress(),
        "--vip", VIP + "/24", "--dev", rig.interfaceName(self), "--http-port", String.valueOf(HTTP_PORT),
        "--key", "netns test secret of 16+ bytes", "--advert-ms", String.valueOf(ADVERT.toMillis())), log.toFile());
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
      Thread.sleep(20);
    }
    StringBuilder all = new StringBuilder(what + ": not within " + limit);
    for (Path log : logs) {
      List<String> l = lines(log);
      all.append("\n--- ").append(log.getFileName()).append(" (tail)\n")
          .append(String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size())));
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

  /** Complete lines only: the probe may be writing the last one. */
  private static List<String> lines(Path log) throws IOException {
    String text = read(log);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
