package io.ha4j.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertTrue(output().contains("usage: director [--no-ipvs] [--no-warm-up] [--check] CONFIG-FILE"), output());
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
    assertTrue(output().contains("is valid: node director-1, 1 virtual addresses, 1 virtual servers"), output());
  }
}
