package io.ha4j.examples.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.core.member.AvailabilityLedger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line, the answers and the exit codes before the host is touched (sysexits.h's 64 for usage). */
class EmbeddedAppTest {

  static final String[] GOOD = {"--node-id", "n1", "--priority", "150", "--bind", "198.51.100.1",
      "--peer", "198.51.100.2:6000", "--peer", "[2001:db8::2]:5405", "--vip", "198.51.100.100/24", "--dev", "eth0",
      "--http-port", "8080", "--key", "a secret of 16+ bytes", "--advert-ms", "100"};

  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void parsesTheDocumentedCommandLine() throws Exception {
    AppOptions o = AppOptions.parse(GOOD);
    assertEquals("n1", o.nodeId());
    assertEquals(150, o.priority());
    assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.1"), AppOptions.DEFAULT_HEARTBEAT_PORT), o.bind());
    assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("198.51.100.2"), 6000),
        new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 5405)), o.peers());
    assertEquals(VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0"), o.vip());
    assertEquals(8080, o.httpPort());
    assertEquals(Duration.ofMillis(100), o.advertisementInterval());
    assertEquals(1, o.groupId());
  }

  @Test
  void badOptionsNameTheOptionAndTheValue() {
    assertEquals("priority must be 1..254, was 255",
        assertThrows(IllegalArgumentException.class, () -> AppOptions.parse(with("--priority", "255"))).getMessage());
    assertEquals("--bind must be a numeric address, was 'peer.example'", assertThrows(IllegalArgumentException.class,
        () -> AppOptions.parse(with("--bind", "peer.example"))).getMessage());
    assertEquals("key must be at least 16 bytes, was 5",
        assertThrows(IllegalArgumentException.class, () -> AppOptions.parse(with("--key", "short"))).getMessage());
    assertEquals("--vip must be ADDR/LEN, was '198.51.100.100'",
        assertThrows(IllegalArgumentException.class, () -> AppOptions.parse(with("--vip", "198.51.100.100"))).getMessage());
    assertEquals("--dev is required", assertThrows(IllegalArgumentException.class,
        () -> AppOptions.parse("--vip", "198.51.100.100/24")).getMessage());
  }

  @Test
  void usageErrorsExit64() {
    assertEquals(64, EmbeddedApp.run(new String[] {"--bogus", "x"}, err));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("embedded-app: unknown option --bogus") && out.contains(AppOptions.USAGE), out);
  }

  /** Netty's availability pattern: the app says why it cannot run instead of failing later. */
  @Test
  void unavailableAddressOwnershipExits2WithTheCause() throws Exception {
    String cp = System.getProperty("surefire.test.class.path");
    List<String> cmd = new java.util.ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java",
        "-Dio.ha4j.vip.noNative=true", "-cp", cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path"),
        EmbeddedApp.class.getName()));
    cmd.addAll(List.of(GOOD));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.waitFor(), out);
    assertTrue(out.contains("embedded-app: cannot manage virtual addresses here: "), out);
  }

  @Test
  void answersNameTheNodeTheRoleAndTheOwnedVips() throws Exception {
    AppStatus s = new AppStatus("n\"1", Role.MASTER, 150,
        List.of(VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0")),
        new AvailabilityLedger.Report(Duration.ofSeconds(10), Duration.ofSeconds(1), 2));
    assertEquals("hello from n\"1 (role MASTER)\n", s.greeting());
    assertEquals("{\"nodeId\": \"n\\\"1\", \"role\": \"MASTER\", \"effectivePriority\": 150, "
        + "\"vipsOwned\": [\"198.51.100.100/24 dev eth0\"], \"availability\": {\"observedMs\": 10000, "
        + "\"withoutMasterMs\": 1000, \"failovers\": 2, \"availability\": 0.900000}}\n", s.json());
  }

  private static String[] with(String option, String value) {
    String[] args = GOOD.clone();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(option)) {
        args[i + 1] = value;
      }
    }
    return args;
  }
}
