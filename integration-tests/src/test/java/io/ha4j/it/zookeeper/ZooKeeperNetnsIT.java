package io.ha4j.it.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.testkit.netns.Commands;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Three ZooKeeper 3.9 servers ({@code QuorumPeerMain}) and two members, each a JVM of its own in a
 * network namespace on one bridge; the members' reports carry the host's monotonic clock. Faults
 * on the master's JVM, by its PID: SIGKILL (its kernel closes the TCP connection, but the ensemble
 * keeps the session until it times out, so the other member leads one session timeout later, with
 * a greater fencing token, and the two never report MASTER at the same time) and SIGSTOP.
 */
@NetnsTest
class ZooKeeperNetnsIT {

  static final int SESSION_MS = 2000;
  static final Duration WAIT = Duration.ofSeconds(30);

  /** A fault on the master's JVM, then what the test checks of the members' logs. */
  private interface Fault {
    void run(List<Process> members, List<Path> logs) throws Exception;
  }

  @Test
  void killingTheMastersJvmHandsOverAfterTheSessionTimeout() throws Exception {
    withEnsemble((members, logs) -> {
      String[] first = awaitRole(logs.get(0), "MASTER", 0);
      awaitRole(logs.get(1), "BACKUP", 0);
      int before = roleLines(logs.get(1)).size();
      long killed = System.nanoTime();
      members.get(0).destroyForcibly();
      String[] second = awaitRole(logs.get(1), "MASTER", before);
      double failoverMs = (Long.parseLong(second[1]) - killed) / 1e6;
      System.out.printf(Locale.ROOT, "kill -9 of the master: m2 master after %.1f ms (session timeout %d ms), "
          + "fencing token %s -> %s, two owners: 0 ms%n", failoverMs, SESSION_MS, first[4], second[4]);
      assertTrue(Long.parseLong(second[4]) > Long.parseLong(first[4]), "a greater fencing token");
      assertTrue(failoverMs < SESSION_MS + 1000, "within the session timeout plus a second: " + failoverMs);
      assertTrue(Long.parseLong(second[1]) > killed, "m2 led only after m1 was gone");
      assertEquals(0, overlapNanos(roleLines(logs.get(0)), roleLines(logs.get(1)), killed), "two owners (ns)");
    });
  }

  /**
   * SIGSTOP of the master for twice the session timeout: the other member leads once the session
   * expires; the stopped one cannot report anything meanwhile (its kernel would keep a VIP), and on
   * SIGCONT it must report BACKUP at once, before it can act on its stale role.
   */
  @Test
  void aMasterStoppedForTwiceTheSessionTimeoutReleasesAtOnceOnWaking() throws Exception {
    withEnsemble((members, logs) -> {
      awaitRole(logs.get(0), "MASTER", 0);
      awaitRole(logs.get(1), "BACKUP", 0);
      long pid = members.get(0).pid();
      int before = roleLines(logs.get(1)).size();
      long stopped = System.nanoTime();
      Commands.ok("kill", "-STOP", String.valueOf(pid));
      String[] second = awaitRole(logs.get(1), "MASTER", before);
      Thread.sleep(Math.max(0, 2 * SESSION_MS - (System.nanoTime() - stopped) / 1_000_000));
      long resumed = System.nanoTime();
      Commands.ok("kill", "-CONT", String.valueOf(pid));
      String[] released = awaitRole(logs.get(0), "BACKUP", roleLines(logs.get(0)).size() - 1);
      double releaseMs = (Long.parseLong(released[1]) - resumed) / 1e6;
      System.out.printf(Locale.ROOT, "SIGSTOP of the master for %d ms: m2 master after %.1f ms; m1 released %.1f ms "
          + "after SIGCONT (%s); two owners by the reports: %.1f ms, all of it while m1 was stopped%n",
          2 * SESSION_MS, (Long.parseLong(second[1]) - stopped) / 1e6, releaseMs, released[5],
          (Long.parseLong(released[1]) - Long.parseLong(second[1])) / 1e6);
      assertTrue(releaseMs < 500, "released within 500 ms of waking: " + releaseMs);
    });
  }

  private void withEnsemble(Fault fault) throws Exception {
    Path dir = Files.createTempDirectory("zk-netns");
    boolean passed = false;
    try (NetnsRig rig = NetnsRig.bridge("zk", 5)) {
      StringBuilder connect = new StringBuilder();
      for (int i = 1; i <= 3; i++) {
        connect.append(i > 1 ? "," : "").append(rig.address(i).getHostAddress()).append(":2181");
      }
      for (int i = 1; i <= 3; i++) {
        rig.startJava(i, "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            List.of(serverConfig(rig, dir, i).toString()), dir.resolve("zk" + i + ".log").toFile());
      }
      for (int i = 1; i <= 3; i++) {
        awaitServing(rig, i);
      }
      List<Process> members = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      int[] priorities = {200, 100};
      for (int m = 0; m < 2; m++) {
        Path log = dir.resolve("member" + (m + 1) + ".log");
        logs.add(log);
        members.add(rig.startJava(4 + m, ZooKeeperMemberMain.class.getName(),
            List.of("m" + (m + 1), String.valueOf(priorities[m]), connect.toString(), String.valueOf(SESSION_MS)),
            log.toFile()));
      }
      fault.run(members, logs);
      passed = true;
    } finally {
      if (passed) {
        deleteTree(dir);
      } else {
        System.out.println("ZooKeeperNetnsIT: logs kept in " + dir);
      }
    }
  }

  private static Path serverConfig(NetnsRig rig, Path dir, int id) throws IOException {
    Path data = Files.createDirectories(dir.resolve("data" + id));
    Files.writeString(data.resolve("myid"), id + "\n");
    StringBuilder cfg = new StringBuilder()
        .append("tickTime=100\ninitLimit=20\nsyncLimit=10\n")
        .append("dataDir=").append(data).append('\n')
        .append("clientPort=2181\nclientPortAddress=").append(rig.address(id).getHostAddress()).append('\n')
        .append("admin.enableServer=false\n4lw.commands.whitelist=srvr\nstandaloneEnabled=false\n");
    for (int i = 1; i <= 3; i++) {
      cfg.append("server.").append(i).append('=').append(rig.address(i).getHostAddress()).append(":2888:3888\n");
    }
    Path file = dir.resolve("zoo" + id + ".cfg");
    Files.writeString(file, cfg.toString());
    return file;
  }

  /** Waits until server {@code i} answers {@code srvr} as a leader or follower. */
  private static void awaitServing(NetnsRig rig, int i) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String probe = "exec 3<>/dev/tcp/" + rig.address(i).getHostAddress() + "/2181 && printf srvr >&3 && cat <&3";
    while (System.nanoTime() < deadline) {
      String out = rig.exec(i, "bash", "-c", probe).stdout();
      if (out.contains("Mode: leader") || out.contains("Mode: follower")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("ZooKeeper server " + i + " not serving within " + WAIT + "; srvr said: "
        + rig.exec(i, "bash", "-c", probe));
  }

  /** The fields of each {@code ROLE} line: ROLE, nanoTime, from, to, token, reason. */
  private static List<String[]> roleLines(Path log) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("ROLE "))
        .map(l -> l.split(" ", 6)).toList();
  }

  /** The fields of the first change to {@code role} from the {@code skip}th {@code ROLE} line on. */
  private static String[] awaitRole(Path log, String role, int skip) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<String[]> lines = roleLines(log);
      for (int k = skip; k < lines.size(); k++) {
        if (lines.get(k)[3].equals(role)) {
          return lines.get(k);
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError(log + " never reported " + role + ":\n" + Files.readString(log));
  }

  /** How long both reported MASTER; a master still in office at the end held it until {@code end}. */
  private static long overlapNanos(List<String[]> a, List<String[]> b, long end) {
    long overlap = 0;
    for (long[] x : masterSpans(a, end)) {
      for (long[] y : masterSpans(b, end)) {
        overlap += Math.max(0, Math.min(x[1], y[1]) - Math.max(x[0], y[0]));
      }
    }
    return overlap;
  }

  private static List<long[]> masterSpans(List<String[]> lines, long end) {
    List<long[]> spans = new ArrayList<>();
    long start = -1;
    for (String[] f : lines) {
      long at = Long.parseLong(f[1]);
      if (f[3].equals("MASTER")) {
        start = at;
      } else if (f[2].equals("MASTER") && start >= 0) {
        spans.add(new long[] {start, at});
        start = -1;
      }
    }
    if (start >= 0) {
      spans.add(new long[] {start, Math.max(start, end)});
    }
    return spans;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
