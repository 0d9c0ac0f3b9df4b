package io.ha4j.it.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Three members as separate JVMs in three network namespaces on a bridge. The master is killed
 * with SIGKILL by its PID; a backup must be master within its master-down interval (RFC 5798
 * 6.4.2) plus 50 ms, measured on the monotonic clock the processes share.
 */
@NetnsTest
class HeartbeatNetnsIT {

  static final Duration INTERVAL = Duration.ofMillis(100);
  static final int PORT = 5405;
  static final int[] PRIORITIES = {200, 150, 100};

  @Test
  void unicastIpv4() throws Exception {
    run("unicast", rig -> {
      List<String> hosts = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        hosts.add(rig.address(i).getHostAddress());
      }
      return i -> {
        List<String> args = new ArrayList<>(List.of("unicast", hosts.get(i - 1), String.valueOf(PORT)));
        for (int j = 1; j <= 3; j++) {
          if (j != i) {
            args.add(hosts.get(j - 1));
          }
        }
        return args;
      };
    });
  }

  @Test
  void multicastIpv4() throws Exception {
    run("multicast4", rig -> i -> List.of("multicast", "239.255.72.52", String.valueOf(PORT)));
  }

  @Test
  void multicastIpv6() throws Exception {
    run("multicast6", rig -> i -> List.of("multicast", "ff02::4841:3452", String.valueOf(PORT)));
  }

  private void run(String label, Function<NetnsRig, Function<Integer, List<String>>> transportArgs)
      throws Exception {
    Path dir = Files.createTempDirectory("hb-netns");
    try (NetnsRig rig = NetnsRig.bridge("hb", 3)) {
      Function<Integer, List<String>> args = transportArgs.apply(rig);
      List<Process> processes = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        Path log = dir.resolve("n" + i + ".log");
        logs.add(log);
        List<String> cmd = new ArrayList<>(List.of(javaBinary(),
            // Three JVMs share two cores here: fewer GC and JIT threads, less timer jitter.
            "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", testClassPath(),
            HeartbeatNodeMain.class.getName(), "n" + i, String.valueOf(PRIORITIES[i - 1]),
            String.valueOf(INTERVAL.toMillis()), rig.interfaceName(i)));
        cmd.addAll(args.apply(i));
        processes.add(rig.start(i, cmd, log.toFile()));
      }
      awaitRole(logs.get(0), 0, "MASTER", Duration.ofSeconds(30), processes, processes.get(0));
      // Let n2 and n3 settle as backups of n1 (they start as backups and stay so).
      Thread.sleep(5 * INTERVAL.toMillis());
      assertEquals(Optional.of("BACKUP"), lastRole(logs.get(1)), label + " n2");
      assertEquals(Optional.of("BACKUP"), lastRole(logs.get(2)), label + " n3");

      // n2 may have been master for a moment while n1's JVM was still starting: only what it
      // logs after the kill counts.
      int seen = lines(logs.get(1)).size();
      long killedAt = System.nanoTime();
      processes.get(0).destroyForcibly(); // SIGKILL to the PID, as kill -9: no priority-0 advert
      String line = awaitRole(logs.get(1), seen, "MASTER", Duration.ofSeconds(10), processes, processes.get(1));
      long masterAt = Long.parseLong(line.split(" ")[2]);
      Duration took = Duration.ofNanos(masterAt - killedAt);
      assertTrue(!took.isNegative() && !took.isZero(), label + ": n2 became master before the kill? " + took);
      Duration mdi = VrrpElection.masterDownInterval(PRIORITIES[1], INTERVAL);
      System.out.printf("[netns %s] kill -9 of master n1 (pid %d) -> n2 master after %d ms "
              + "(master-down interval %d ms, bound %d ms)%n",
          label, processes.get(0).pid(), took.toMillis(), mdi.toMillis(), mdi.plusMillis(50).toMillis());
      assertTrue(took.compareTo(mdi.plusMillis(50)) <= 0, label + ": took " + took + ", bound " + mdi.plusMillis(50));
      Thread.sleep(5 * INTERVAL.toMillis());
      assertEquals(Optional.of("BACKUP"), lastRole(logs.get(2)), label + " n3 stays backup under n2");
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** Waits for the first line from index {@code from} on that reports {@code role}. */
  static String awaitRole(
      Path log, int from, String role, Duration limit, List<Process> processes, Process writer)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    // A member that died (say, a class missing from the class path) will never report: fail now.
    while (System.nanoTime() - end < 0 && writer.isAlive()) {
      Optional<String> line = findRole(log, from, role);
      if (line.isPresent()) {
        return line.get();
      }
      Thread.sleep(5);
    }
    Optional<String> line = findRole(log, from, role);
    if (line.isPresent()) {
      return line.get();
    }
    StringBuilder all = new StringBuilder();
    for (Process p : processes) {
      all.append("pid ").append(p.pid()).append(p.isAlive() ? " alive" : " exited " + p.exitValue()).append('\n');
    }
    throw new AssertionError(log.getFileName() + " did not report " + role + " within " + limit + "\n" + all
        + String.join("\n", lines(log)));
  }

  private static Optional<String> findRole(Path log, int from, String role) throws IOException {
    List<String> lines = lines(log);
    return lines.subList(Math.min(from, lines.size()), lines.size()).stream()
        .filter(l -> l.startsWith("ROLE " + role + " ")).findFirst();
  }

  static Optional<String> lastRole(Path log) throws IOException {
    String last = null;
    for (String line : lines(log)) {
      if (line.startsWith("ROLE ")) {
        last = line.split(" ")[1];
      }
    }
    return Optional.ofNullable(last);
  }

  static List<String> lines(Path log) throws IOException {
    return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
  }

  static String javaBinary() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  /** Failsafe may put a manifest-only jar on java.class.path; its own property has the real path. */
  static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }
}
