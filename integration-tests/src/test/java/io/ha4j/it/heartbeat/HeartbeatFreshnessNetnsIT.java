package io.ha4j.it.heartbeat;

import static io.ha4j.it.heartbeat.HeartbeatNetnsIT.awaitRole;
import static io.ha4j.it.heartbeat.HeartbeatNetnsIT.lastRole;
import static io.ha4j.it.heartbeat.HeartbeatNetnsIT.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Freshness of heartbeats across process restarts (issue 16 items 2 and 3), with members as
 * separate JVMs in network namespaces: n1 (priority 200) and n2 (100) over unicast, and an
 * eavesdropper in the third namespace that n1's advertisements also reach. Times are read on the
 * monotonic clock the processes share.
 */
@NetnsTest
class HeartbeatFreshnessNetnsIT {

  static final Duration INTERVAL = Duration.ofMillis(100);
  static final int PORT = 5405;

  @Test
  void aMemberRestartedWithItsClockAnHourBehindIsMasterAgainWithinTwoIntervals() throws Exception {
    try (Rig r = new Rig()) {
      Process n1 = r.node(1, 200, "n1.log", List.of());
      Process n2 = r.node(2, 100, "n2.log", List.of());
      awaitRole(r.log("n1.log"), 0, "MASTER", Duration.ofSeconds(30), r.all, n1);
      Thread.sleep(1000);
      int seen = lines(r.log("n2.log")).size();
      n1.destroyForcibly().waitFor();
      awaitRole(r.log("n2.log"), seen, "MASTER", Duration.ofSeconds(10), r.all, n2);
      Thread.sleep(1000);

      seen = lines(r.log("n2.log")).size();
      Process again = r.node(1, 200, "n1-again.log", List.of("-Dha4j.it.clockOffsetMs=-3600000"));
      long startedAt = roleAt(awaitRole(r.log("n1-again.log"), 0, "BACKUP", Duration.ofSeconds(30), r.all, again));
      long masterAt = roleAt(awaitRole(r.log("n1-again.log"), 0, "MASTER", Duration.ofSeconds(10), r.all, again));
      long n2BackupAt = roleAt(awaitRole(r.log("n2.log"), seen, "BACKUP", Duration.ofSeconds(5), r.all, n2));
      Duration twoMasters = Duration.ofNanos(n2BackupAt - masterAt);
      Duration mdi = VrrpElection.masterDownInterval(200, INTERVAL);
      System.out.printf("[netns freshness] n1 restarted with its clock 1 h behind: master %d ms after its start "
              + "(master-down %d ms); n2 followed it %d ms later (bound %d ms = 2 intervals); n2 %s%n",
          (masterAt - startedAt) / 1_000_000, mdi.toMillis(), twoMasters.toMillis(), 2 * INTERVAL.toMillis(),
          lastStats(r.log("n2.log")));
      assertTrue(twoMasters.compareTo(INTERVAL.multipliedBy(2)) <= 0, "two masters for " + twoMasters);
      Thread.sleep(1000);
      assertEquals(Optional.of("MASTER"), lastRole(r.log("n1-again.log")));
      assertEquals(Optional.of("BACKUP"), lastRole(r.log("n2.log")));
    }
  }

  @Test
  void aReplayedCaptureOfADeadMasterNeverHoldsARestartedBackup() throws Exception {
    try (Rig r = new Rig()) {
      Path capture = r.dir.resolve("capture.hex");
      Process tap = r.start(3, "tap.log", List.of(), DatagramTapMain.class.getName(), "record", r.host(3),
          String.valueOf(PORT), capture.toString());
      Process n1 = r.node(1, 200, "n1.log", List.of());
      Process n2 = r.node(2, 100, "n2.log", List.of());
      awaitRole(r.log("n1.log"), 0, "MASTER", Duration.ofSeconds(30), r.all, n1);
      Thread.sleep(2000);
      tap.destroyForcibly().waitFor();
      n1.destroyForcibly().waitFor();
      n2.destroyForcibly().waitFor();
      int recorded = lines(capture).size();

      Process again = r.node(2, 100, "n2-again.log", List.of());
      Duration replayFor = Duration.ofSeconds(6);
      // From the dead master's own address and port, at its pace.
      Process replay = r.start(1, "replay.log", List.of(), DatagramTapMain.class.getName(), "replay", r.host(1),
          String.valueOf(PORT), capture.toString(), r.host(2), String.valueOf(PORT),
          String.valueOf(INTERVAL.toMillis()), String.valueOf(replayFor.toMillis()));
      long startedAt = roleAt(awaitRole(r.log("n2-again.log"), 0, "BACKUP", Duration.ofSeconds(30), r.all, again));
      long masterAt = roleAt(awaitRole(r.log("n2-again.log"), 0, "MASTER", Duration.ofSeconds(10), r.all, again));
      boolean replaying = replay.isAlive();
      replay.waitFor();
      Thread.sleep(1500);
      Duration took = Duration.ofNanos(masterAt - startedAt);
      Duration mdi = VrrpElection.masterDownInterval(100, INTERVAL);
      System.out.printf("[netns freshness] capture of %d datagrams of dead master n1 replayed at restarted n2 (%s): "
              + "n2 master %d ms after its start (master-down %d ms, bound %d ms); n2 %s%n",
          recorded, lines(r.log("replay.log")), took.toMillis(), mdi.toMillis(), mdi.plusMillis(100).toMillis(),
          lastStats(r.log("n2-again.log")));
      assertTrue(recorded >= 10, "recorded " + recorded);
      assertTrue(replaying, "the replay was still running when n2 took over");
      assertTrue(took.compareTo(mdi.plusMillis(100)) <= 0, "took " + took);
      assertEquals(Optional.of("MASTER"), lastRole(r.log("n2-again.log")), "the replay never made n2 a backup");
    }
  }

  private static long roleAt(String line) {
    return Long.parseLong(line.split(" ")[2]);
  }

  private static String lastStats(Path log) throws Exception {
    String last = "(no stats)";
    for (String l : lines(log)) {
      if (l.startsWith("STATS ")) {
        last = l.substring(6);
      }
    }
    return last;
  }

  /** Three namespaces on a bridge, the processes started in them and their logs; removes all on close. */
  private static final class Rig implements AutoCloseable {
    final NetnsRig rig = NetnsRig.bridge("hbf", 3);
    final Path dir;
    final List<Process> all = new ArrayList<>();

    Rig() throws Exception {
      Path d;
      try {
        d = Files.createTempDirectory("hb-fresh");
      } catch (Exception e) {
        rig.close();
        throw e;
      }
      dir = d;
    }

    String host(int i) {
      return rig.address(i).getHostAddress();
    }

    Path log(String name) {
      return dir.resolve(name);
    }

    /** n1 advertises to n2 and to the eavesdropper on host 3; n2 to n1. */
    Process node(int i, int priority, String log, List<String> jvmOptions) {
      List<String> args = new ArrayList<>(List.of("n" + i, String.valueOf(priority), String.valueOf(INTERVAL.toMillis()),
          rig.interfaceName(i), "unicast", host(i), String.valueOf(PORT)));
      args.addAll(i == 1 ? List.of(host(2), host(3)) : List.of(host(1)));
      return start(i, log, jvmOptions, HeartbeatNodeMain.class.getName(), args.toArray(String[]::new));
    }

    Process start(int i, String log, List<String> jvmOptions, String mainClass, String... args) {
      List<String> cmd = new ArrayList<>(List.of(HeartbeatNetnsIT.javaBinary(), "-XX:+UseSerialGC", "-Xmx64m",
          "-XX:TieredStopAtLevel=1"));
      cmd.addAll(jvmOptions);
      cmd.addAll(List.of("-cp", HeartbeatNetnsIT.testClassPath(), mainClass));
      cmd.addAll(List.of(args));
      Process p = rig.start(i, cmd, log(log).toFile());
      all.add(p);
      return p;
    }

    @Override
    public void close() throws Exception {
      try {
        for (Process p : all) {
          p.destroyForcibly().waitFor();
        }
      } finally {
        rig.close();
        try (var files = Files.list(dir)) {
          for (Path p : files.toList()) {
            Files.deleteIfExists(p);
          }
        }
        Files.deleteIfExists(dir);
      }
    }
  }
}
