package io.ha4j.it.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.testkit.junit.Prerequisites;
import io.ha4j.testkit.netns.NetnsTest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, item 1 and its first acceptance point: the tarball that {@code mvn package} builds
 * (ha-director/target/ha4j-director-VERSION.tar.gz), unpacked into an empty folder as a new user
 * would, runs with nothing else: no Maven, no source tree, no test jars. Its example
 * configuration is run unchanged in a namespace whose interfaces are named as the example's
 * ({@code eth0} with 198.51.100.1/24 on a veth pair to a peer namespace, {@code eth1} tracked), as
 * a non-root user with exactly the capabilities of the distribution's systemd unit.
 */
@NetnsTest
class DistributionNetnsIT {

  /** The tarball's path, which the build sets (integration-tests/pom.xml); the reactor packages ha-director first. */
  static final String TARBALL_PROPERTY = "ha4j.director.tarball";
  /** What the unit's AmbientCapabilities are run as: nobody (uid and gid 65534). */
  static final String NOBODY = "65534";
  static final String VIP = "198.51.100.100";
  static final String BARE_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
  /** Test classes and tooling that a runtime lib/ must not hold, as jar names and as class folders. */
  static final List<String> TEST_JAR_NAMES = List.of("junit", "jqwik", "mockito", "testkit", "opentest4j",
      "apiguardian", "byte-buddy", "objenesis", "hamcrest", "assertj");
  static final List<String> TEST_PACKAGES = List.of("org/junit/", "net/jqwik/", "org/mockito/", "io/ha4j/testkit/");

  @Test
  void unpackedTheTarballChecksAndRunsADirectorWithTheUnitsCapabilities(@TempDir Path tmp) throws Exception {
    Path tarball = tarball();
    // A folder every user can enter: the daemon runs as nobody, as the unit runs it as its own user.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path empty = Files.createDirectory(tmp.resolve("opt"));
    run(List.of("tar", "-xzf", tarball.toString(), "-C", empty.toString()), 0);
    List<Path> top = list(empty);
    assertEquals(1, top.size(), "the tarball unpacks into one folder: " + top);
    Path home = top.get(0);
    assertTrue(home.getFileName().toString().matches("ha4j-director-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), home.toString());
    for (String f : List.of("bin/ha4j-director", "conf/director.conf", "doc/keywords.md", "doc/README.md",
        "systemd/ha4j-director.service")) {
      assertTrue(Files.isRegularFile(home.resolve(f)), f + " missing in " + list(home));
    }
    assertTrue(Files.isExecutable(home.resolve("bin/ha4j-director")));

    libHoldsTheRuntimeJarsOnly(home.resolve("lib"));

    Path example = home.resolve("conf/director.conf");
    Out valid = asNewUser(home, List.of("bin/ha4j-director", "--check", "conf/director.conf"), 0);
    assertTrue(valid.text.contains("director: conf/director.conf is valid: node director-1@198.51.100.1,"
        + " 1 virtual addresses, 1 virtual servers"), valid.text);
    Path broken = tmp.resolve("broken.conf");
    Files.writeString(broken, "vrrp_instance VI_1 {\n  interface eth0\n  priority high\n}\n", StandardCharsets.UTF_8);
    Out invalid = asNewUser(home, List.of("bin/ha4j-director", "--check", broken.toString()), 1);
    assertTrue(invalid.text.contains(broken + ":3:12: priority must be an integer in 1..255 (at 'high')"), invalid.text);

    runsTheExampleInANamespace(home, example, tmp);
  }

  /** The unit's directives are systemd's: a misspelt key is only a warning to systemd, so any output fails. */
  @Test
  void theSystemdUnitIsValid(@TempDir Path tmp) throws Exception {
    Prerequisites.check("systemd unit check", onPath("systemd-analyze") ? null : "systemd-analyze is not on PATH",
        "install systemd");
    Path empty = Files.createDirectory(tmp.resolve("opt"));
    run(List.of("tar", "-xzf", tarball().toString(), "-C", empty.toString()), 0);
    Path home = list(empty).get(0);
    // Verified where it is unpacked: verify also checks that ExecStart's program exists.
    String unit = Files.readString(home.resolve("systemd/ha4j-director.service"), StandardCharsets.UTF_8)
        .replace("/opt/ha4j-director/", home + "/");
    Path copy = tmp.resolve("ha4j-director.service");
    Files.writeString(copy, unit, StandardCharsets.UTF_8);
    Out verify = run(List.of("systemd-analyze", "verify", copy.toString()), 0);
    assertEquals("", verify.text.strip(), "systemd-analyze verify");
    assertTrue(unit.contains("\nExecReload=/bin/kill -HUP $MAINPID\n"), unit);
    assertTrue(unit.contains("\nRestart=on-failure\n"), unit);
    assertEquals(capabilities(unit, "AmbientCapabilities"), capabilities(unit, "CapabilityBoundingSet"), unit);
    String user = directive(unit, "User");
    assertFalse(user.isBlank() || user.equals("root"), "the unit runs as its own user, not " + user);
  }

  private static Path tarball() {
    String path = System.getProperty(TARBALL_PROPERTY);
    assertTrue(path != null && !path.isBlank(), "-D" + TARBALL_PROPERTY + " is not set (integration-tests/pom.xml sets it)");
    Path p = Path.of(path).toAbsolutePath();
    assertTrue(Files.isRegularFile(p), p + " is missing: mvn package builds it (mvn -B -ntp -pl integration-tests -am verify does)");
    return p;
  }

  private static void libHoldsTheRuntimeJarsOnly(Path lib) throws IOException {
    List<String> names = list(lib).stream().map(p -> p.getFileName().toString()).sorted().toList();
    for (String expected : List.of("ha-director-", "ha-core-", "ha-heartbeat-", "ha-vip-", "ha-ipvs-netlink-", "jna-",
        "slf4j-api-", "slf4j-simple-")) {
      assertTrue(names.stream().anyMatch(n -> n.startsWith(expected) && n.endsWith(".jar")), expected + " not in " + names);
    }
    List<String> problems = new ArrayList<>();
    for (String n : names) {
      assertTrue(n.endsWith(".jar"), "not a jar in lib/: " + n);
      String lower = n.toLowerCase(Locale.ROOT);
      TEST_JAR_NAMES.stream().filter(lower::contains).forEach(t -> problems.add(n + " (name: " + t + ")"));
      try (ZipFile zip = new ZipFile(lib.resolve(n).toFile())) {
        zip.stream().map(e -> e.getName())
            .filter(e -> TEST_PACKAGES.stream().anyMatch(e::startsWith))
            .findFirst().ifPresent(e -> problems.add(n + " holds " + e));
      }
    }
    System.out.printf("[distribution] lib/: %d jars, %d bytes: %s%n", names.size(), size(lib), names);
    assertTrue(problems.isEmpty(), "test classes in lib/: " + problems);
  }

  /**
   * The example configuration, unchanged, in namespace {@code d} ({@code eth0} 198.51.100.1/24 and
   * {@code eth1}, veth pairs to namespace {@code p}, where 198.51.100.2 is the absent peer): the
   * director becomes master and holds the VIP (the peer pings it), and SIGTERM releases it.
   */
  private static void runsTheExampleInANamespace(Path home, Path example, Path tmp) throws Exception {
    String unit = Files.readString(home.resolve("systemd/ha4j-director.service"), StandardCharsets.UTF_8);
    String caps = capabilities(unit, "AmbientCapabilities").stream()
        .map(c -> "+" + c.toLowerCase(Locale.ROOT).replaceFirst("^cap_", ""))
        .collect(Collectors.joining(","));
    String id = String.format(Locale.ROOT, "%04x", new SecureRandom().nextInt(0x10000));
    String d = "dist" + id + "-d";
    String p = "dist" + id + "-p";
    Path cache = Files.createDirectory(tmp.resolve("cache"));
    run(List.of("chown", NOBODY + ":" + NOBODY, cache.toString()), 0);
    Path log = tmp.resolve("director.log");
    Process director = null;
    try {
      run(List.of("ip", "netns", "add", d), 0);
      run(List.of("ip", "netns", "add", p), 0);
      ip(d, "link", "set", "lo", "up");
      ip(p, "link", "set", "lo", "up");
      for (String n : List.of("0", "1")) {
        ip(d, "link", "add", "eth" + n, "type", "veth", "peer", "name", "p" + n, "netns", p);
        ip(d, "link", "set", "eth" + n, "up");
        ip(p, "link", "set", "p" + n, "up");
      }
      ip(d, "addr", "add", "198.51.100.1/24", "dev", "eth0");
      ip(p, "addr", "add", "198.51.100.2/24", "dev", "p0");

      // As the unit runs it: its own user (nobody here), the unit's ambient capabilities and
      // nothing else, its cache folder for JNA; the JVM of this test through JAVA_HOME.
      // From / with a bare environment, as systemd starts it: nothing from this build leaks in
      // (no DIRECTOR_CLASSPATH, no class path, no Maven).
      director = new ProcessBuilder("ip", "netns", "exec", d, "env", "-i", "PATH=" + BARE_PATH,
          "JAVA_HOME=" + System.getProperty("java.home"), "XDG_CACHE_HOME=" + cache,
          "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--no-new-privs",
          "--inh-caps=-all," + caps, "--ambient-caps=-all," + caps, "--bounding-set=-all," + caps,
          home.resolve("bin/ha4j-director").toString(), example.toString(), "--no-ipvs")
          .directory(Path.of("/").toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Process daemon = director;
      await("master with the VIP on eth0", Duration.ofSeconds(30), log,
          () -> read(log).contains("-> MASTER") && hasVip(d));
      String status = Files.readString(Path.of("/proc", Long.toString(daemon.pid()), "status"), StandardCharsets.UTF_8);
      assertTrue(status.contains("\nUid:\t" + NOBODY + "\t"), status);
      // CAP_NET_ADMIN (12) and CAP_NET_RAW (13): the effective set is those two bits.
      assertTrue(status.contains("\nCapEff:\t0000000000003000\n"), status);
      Out ping = run(List.of("ip", "netns", "exec", p, "ping", "-c", "1", "-W", "2", VIP), 0);
      System.out.printf("[distribution] the example's director in netns %s as uid %s with %s: master, VIP %s answers: %s%n",
          d, NOBODY, caps, VIP, ping.text.lines().filter(l -> l.contains("bytes from")).findFirst().orElse(""));

      long term = System.nanoTime();
      run(List.of("kill", "-TERM", Long.toString(daemon.pid())), 0);
      assertTrue(daemon.waitFor(15, TimeUnit.SECONDS), "no exit within 15 s of SIGTERM\n" + read(log));
      System.out.printf("[distribution] SIGTERM to exit: %d ms, exit %d%n", (System.nanoTime() - term) / 1_000_000,
          daemon.exitValue());
      // 143: the JVM's exit after SIGTERM and its shutdown hooks (the unit's SuccessExitStatus).
      assertEquals(143, daemon.exitValue(), read(log));
      assertFalse(hasVip(d), "the VIP is still on eth0 after SIGTERM\n" + read(log));
      assertTrue(read(log).contains("stopping: handing over and releasing the VIPs"), read(log));
      assertTrue(read(log).contains("VIP " + VIP + "/24 dev eth0 label eth0:vip released"), read(log));
    } finally {
      if (director != null) {
        director.descendants().forEach(ProcessHandle::destroyForcibly);
        director.destroyForcibly();
        director.waitFor(10, TimeUnit.SECONDS);
      }
      new ProcessBuilder("ip", "netns", "del", d).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
      new ProcessBuilder("ip", "netns", "del", p).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static boolean hasVip(String ns) {
    try {
      return !run(List.of("ip", "-n", ns, "-o", "addr", "show", "dev", "eth0", "to", VIP), 0).text.isBlank();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The words of the unit's {@code key=} line, e.g. CAP_NET_ADMIN and CAP_NET_RAW. */
  private static List<String> capabilities(String unit, String key) {
    List<String> caps = Arrays.stream(directive(unit, key).split("\\s+")).filter(s -> !s.isEmpty()).sorted().toList();
    assertFalse(caps.isEmpty(), key + " is empty");
    return caps;
  }

  private static String directive(String unit, String key) {
    Matcher m = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(unit);
    assertTrue(m.find(), "no " + key + "= in the unit");
    return m.group(1).strip();
  }

  private static void ip(String ns, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    run(cmd, 0);
  }

  record Out(int code, String text) {}

  /** Runs {@code cmd}, asserting exit {@code expected}; its stdout and stderr together. */
  private static Out run(List<String> cmd, int expected) throws IOException, InterruptedException {
    return run(new ProcessBuilder(cmd), expected);
  }

  /** {@code cmd} run in the unpacked folder with only PATH and JAVA_HOME set, as a new user would run it. */
  private static Out asNewUser(Path home, List<String> cmd, int expected) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", BARE_PATH);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return run(pb, expected);
  }

  private static Out run(ProcessBuilder pb, int expected) throws IOException, InterruptedException {
    List<String> cmd = pb.command();
    Process pr = pb.redirectErrorStream(true).start();
    String text = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(pr.waitFor(60, TimeUnit.SECONDS), cmd + " did not end");
    assertEquals(expected, pr.exitValue(), cmd + ":\n" + text);
    return new Out(pr.exitValue(), text);
  }

  private static void await(String what, Duration limit, Path log, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() - end < 0) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(what + ": not within " + limit + "\n" + read(log));
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
