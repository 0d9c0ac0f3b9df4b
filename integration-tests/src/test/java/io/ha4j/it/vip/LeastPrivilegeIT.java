package io.ha4j.it.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.testkit.junit.Prerequisites;
import io.ha4j.testkit.netns.ExecResult;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ha-vip as a non-root user with only CAP_NET_ADMIN and CAP_NET_RAW (netns recipe, "Least
 * privilege"): the namespace is entered as root by {@code ip netns exec}, then {@code setpriv}
 * drops to uid/gid 65534 keeping just those capabilities as ambient ones, and a child JVM runs
 * {@link VipProbe}.
 */
@NetnsTest
class LeastPrivilegeIT {

  private static NetnsRig rig;
  private static Path scratch;
  private static String classpath;

  @BeforeAll
  static void setUp() throws Exception {
    Prerequisites.check("least-privilege test", onPath("setpriv") ? null : "setpriv (util-linux) is not on PATH",
        "install util-linux");
    scratch = Files.createTempDirectory("vip-lp");
    Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));
    classpath = readableClasspath(scratch);
    rig = NetnsRig.bridge("viplp", 3);
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (rig != null) {
      rig.close();
    }
    if (scratch != null) {
      try (Stream<Path> s = Files.walk(scratch)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
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

  /** The test classpath, with jars copied where user 65534 can read them (~/.m2 under /root is not). */
  private static String readableClasspath(Path dir) throws IOException {
    Path lib = Files.createDirectory(dir.resolve("lib"));
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e);
      if (Files.isRegularFile(p)) {
        Path copy = lib.resolve(n++ + "-" + p.getFileName());
        Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        entries.add(copy.toString());
      } else if (Files.isDirectory(p)) {
        entries.add(p.toString());
      }
    }
    Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
    return String.join(File.pathSeparator, entries);
  }

  private ExecResult probe(String caps, String... args) {
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        "--inh-caps=" + caps, "--ambient-caps=" + caps,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
        "-Djna.tmpdir=" + scratch, "-cp", classpath, VipProbe.class.getName()));
    cmd.addAll(List.of(args));
    ExecResult r = rig.exec(1, cmd.toArray(String[]::new));
    System.out.println("probe with " + caps + " " + List.of(args) + ": exit " + r.exitCode() + "\n" + r.stdout() + r.stderr());
    return r;
  }

  @Test
  void withOnlyNetAdminAndNetRawAVipIsAddedAnnouncedAndRemoved() throws Exception {
    // arp_accept=1 lets n3 create an entry from the gratuitous ARP alone: proof that it went out.
    rig.exec(3, "sysctl", "-w", "net.ipv4.conf.veth3.arp_accept=1").orThrow();
    try (IpMonitor addr = new IpMonitor(rig.namespace(1), "address")) {
      ExecResult r = probe("+net_admin,+net_raw", "cycle", "veth1", "198.51.100.100", "24");
      assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
      assertTrue(r.stdout().contains("CAUSE none"), r.stdout());
      assertTrue(r.stdout().contains("ADDED [198.51.100.100/24 dev veth1]"), r.stdout());
      assertTrue(r.stdout().contains("ANNOUNCED frames=5"), r.stdout());
      assertTrue(r.stdout().contains("REMOVED []"), r.stdout());
      long added = addr.await(0, l -> !l.startsWith("Deleted") && l.contains("inet 198.51.100.100/24"), "VIP added");
      addr.await(added, l -> l.startsWith("Deleted") && l.contains("inet 198.51.100.100/24"), "VIP deleted");
    }
    String neigh = rig.exec(3, "ip", "neigh", "show", "198.51.100.100").orThrow().stdout();
    assertTrue(neigh.contains(rig.mac(1)), "n3 learned the VIP from our gratuitous ARP: " + neigh);
  }

  @Test
  void withoutNetRawTheCauseNamesCapNetRaw() {
    ExecResult r = probe("+net_admin", "cause");
    assertEquals(0, r.exitCode(), r.stderr());
    assertTrue(r.stdout().contains("CAP_NET_RAW") && !r.stdout().contains("CAP_NET_ADMIN and CAP_NET_RAW in"),
        r.stdout());
  }

  @Test
  void withNoCapabilitiesAnAddIsNotPermitted() {
    ExecResult r = probe("-all", "cycle", "veth1", "198.51.100.100", "24");
    assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("FAILED NOT_PERMITTED"), r.stdout());
    assertTrue(r.stdout().contains("CAP_NET_ADMIN and CAP_NET_RAW"), r.stdout());
  }

  @Test
  void shutdownHookReleasesTheVipWhenTheJvmExitsWithoutClose() throws Exception {
    try (IpMonitor addr = new IpMonitor(rig.namespace(1), "address")) {
      ExecResult r = probe("+net_admin,+net_raw", "exit", "veth1", "198.51.100.101", "24");
      assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
      assertTrue(r.stdout().contains("ADDED [198.51.100.101/24 dev veth1]"), r.stdout());
      long added = addr.await(0, l -> !l.startsWith("Deleted") && l.contains("inet 198.51.100.101/24"), "VIP added");
      addr.await(added, l -> l.startsWith("Deleted") && l.contains("inet 198.51.100.101/24"), "VIP deleted by the hook");
    }
    assertTrue(!rig.exec(1, "ip", "addr", "show", "dev", "veth1").orThrow().stdout().contains("198.51.100.101/"));
  }
}
