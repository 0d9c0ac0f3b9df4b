package io.ha4j.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Exit codes and messages of the daemon before it touches the host (sysexits.h's 64 for usage). */
class DirectorMainTest {

  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void usageErrorsExit64() {
    assertEquals(64, DirectorMain.run(new String[0], err));
    assertEquals(64, DirectorMain.run(new String[] {"--bogus", "x.conf"}, err));
    assertTrue(output().contains("usage: director [--no-ipvs] [--no-warm-up] [--check] [--config-id ID] CONFIG-FILE"), output());
  }

  @Test
  void badConfigurationExits1WithFileLineColumn(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "vrrp_instance VI_1 {\n  priority high\n}\n");
    assertEquals(1, DirectorMain.run(new String[] {"--check", conf.toString()}, err));
    assertTrue(output().contains(conf + ":2:12: priority must be an integer in 1..255 (at 'high')"), output());
  }

  /** Netty's availability pattern: the daemon says why it cannot run instead of failing later. */
  @Test
  void unavailableAddressOwnershipExits2WithTheCause() throws Exception {
    String cp = System.getProperty("surefire.test.class.path");
    Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/java",
        "-Dio.ha4j.vip.noNative=true", "-cp", cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path"),
        DirectorMain.class.getName(), "--no-ipvs", "director.conf")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.waitFor(), out);
    assertTrue(out.contains("director: cannot manage virtual addresses here: "), out);
  }

  @Test
  void checkAcceptsTheShippedExample() {
    assertEquals(0, DirectorMain.run(new String[] {"--check", "director.conf"}, err));
    assertTrue(output().contains("is valid: node director-1@198.51.100.1, 1 virtual addresses, 1 virtual servers"), output());
  }

  /** The JVM of this test, to fork: the class path of the tests (surefire's, not a manifest-only jar). */
  static List<String> java(String... args) {
    String cp = System.getProperty("surefire.test.class.path");
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-cp",
        cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path")));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * Issue 16, item 13: with a hosts file in which {@code 999.1.1.1} resolves (the JDK's
   * jdk.net.hosts.file replaces DNS), any lookup would make the file valid. The reader refuses the
   * word at its place; the probe then shows that the trap resolves, so the test can fail.
   */
  @Test
  void anAddressWordNeverReachesTheResolver(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "198.51.100.7 999.1.1.1\n");
    Path conf = dir.resolve("d.conf");
    Files.writeString(conf, Files.readString(Path.of("director.conf")).replace("unicast_src_ip 198.51.100.1",
        "unicast_src_ip 999.1.1.1"));
    List<String> cmd = java("-Djdk.net.hosts.file=" + hosts, ResolverTrap.class.getName(), "999.1.1.1",
        "--check", conf.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, p.waitFor(), out);
    assertTrue(out.contains(conf + ":16:18: not an IPv4 or IPv6 address (at '999.1.1.1')"), out);
    assertTrue(out.contains("trap: 999.1.1.1 resolves to 198.51.100.7"), out);
  }

  /** Runs {@code DirectorMain.run(args[1..])}, then shows what {@code args[0]} resolves to, and exits with run's code. */
  static final class ResolverTrap {
    public static void main(String[] args) throws Exception {
      int code = DirectorMain.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.err);
      System.err.println("trap: " + args[0] + " resolves to " + InetAddress.getByName(args[0]).getHostAddress());
      System.exit(code);
    }
  }

  /**
   * Issue 16, item 15: a SIGHUP from outside (kill -HUP, systemctl reload) is logged and ignored,
   * twice; the JVM's own handler would stop the process (and the daemon's stop hook would hand the
   * VIP over), as the probe without {@link HangUp#ignore} shows.
   */
  @Test
  @Timeout(60)
  void sighupIsLoggedAndIgnored() throws Exception {
    Process p = new ProcessBuilder(java("-Dorg.slf4j.simpleLogger.defaultLogLevel=info", HangUpProbe.class.getName(),
        "ignore")).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    assertTrue(readUntil(out, "ready", seen), seen.toString());
    for (int i = 0; i < 2; i++) {
      hangUp(p);
      assertTrue(readUntil(out, HangUp.IGNORED, seen), seen.toString());
    }
    p.getOutputStream().close();
    assertTrue(readUntil(out, "still running", seen), seen.toString());
    assertEquals(0, p.waitFor(), seen.toString());
  }

  /** The control: the JVM's default SIGHUP ends the process (128 + SIGHUP). */
  @Test
  @Timeout(60)
  void withoutTheHandlerSighupEndsTheJvm() throws Exception {
    Process p = new ProcessBuilder(java(HangUpProbe.class.getName(), "default")).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    assertTrue(readUntil(out, "ready", seen), seen.toString());
    hangUp(p);
    assertFalse(readUntil(out, "still running", seen), seen.toString());
    assertNotEquals(0, p.waitFor(), seen.toString());
  }

  /** The launcher execs the JVM, here with the class path it is given (DIRECTOR_CLASSPATH) instead of a build. */
  @Test
  void launcherRunsTheDaemonOnTheGivenClassPath() throws Exception {
    List<String> jvm = java();
    ProcessBuilder pb = new ProcessBuilder("sh", "bin/director", "--check", "director.conf").redirectErrorStream(true);
    pb.environment().put("DIRECTOR_CLASSPATH", jvm.get(2));
    pb.environment().put("PATH", Path.of(jvm.get(0)).getParent() + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains("director.conf is valid: node director-1@198.51.100.1"), out);
  }

  private static void hangUp(Process p) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -HUP " + p.pid());
  }

  /** Reads lines into {@code seen} until one contains {@code text} (true) or the stream ends (false). */
  private static boolean readUntil(BufferedReader in, String text, StringBuilder seen) throws IOException {
    for (String line; (line = in.readLine()) != null; ) {
      seen.append(line).append('\n');
      if (line.contains(text)) {
        return true;
      }
    }
    return false;
  }

  /** {@code ignore}: installs {@link HangUp}; {@code default}: leaves the JVM's handler. Then waits for stdin to close. */
  static final class HangUpProbe {
    public static void main(String[] args) throws IOException {
      if (args[0].equals("ignore")) {
        HangUp.ignore(LoggerFactory.getLogger(HangUpProbe.class));
      }
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the test closes stdin
      }
      System.out.println("still running");
    }
  }
}
