package io.ha4j.it.zookeeper;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * network namespace on one bridge. The master's JVM is killed with SIGKILL by its PID: its kernel
 * closes the TCP connection, but the ensemble keeps the session until it times out, so the other
 * member leads one session timeout later, with a greater fencing token, and the two never report
 * MASTER at the same time (their reports carry the host's monotonic clock).
 */
@NetnsTest
class ZooKeeperNetnsIT {

  static final int SESSION_MS = 2000;
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void killingTheMastersJvmHandsOverAfterTheSessionTimeout() throws Exception {
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
      String[] first = awaitRole(logs.get(0), "MASTER", 0);
      awaitRole(logs.get(1), "BACKUP", 0);
      long killed = System.nanoTime();
      members.get(0).destroyForcibly();
      String[] second = awaitRole(logs.get(1), "MASTER", 0);
      double failoverMs = (Long.parseLong(second[1]) - killed) / 1e6;
      System.out.printf(Locale.ROOT, "kill -9 of the master: m2 master after %.1f ms (session timeout %d ms), "
          + "fencing token %s -> %s, two owners: 0 ms%n", failoverMs, SESSION_MS, first[4], second[4]);
      assertTrue(Long.parseLong(second[4]) > Long.parseLong(first[4]), "a greater fencing token");
      assertTrue(failoverMs < SESSION_MS + 1000, "within the session timeout plus a second: " + failoverMs);
      assertTrue(Long.parseLong(second[1]) > killed, "m2 led only after m1 was gone");
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

  /** The {@code ROLE} line's fields of the first change to {@code role} after line {@code skip}. */
  private static String[] awaitRole(Path log, String role, int skip) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("ROLE ")).toList();
        for (int k = skip; k < lines.size(); k++) {
          String[] f = lines.get(k).split(" ", 6);
          if (f[3].equals(role)) {
            return f;
          }
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError(log + " never reported " + role + ":\n" + Files.readString(log));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
