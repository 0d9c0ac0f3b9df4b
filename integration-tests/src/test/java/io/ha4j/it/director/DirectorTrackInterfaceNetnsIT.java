package io.ha4j.it.director;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.testkit.netns.NetnsTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * issue 16 item 8: {@code track_interface} on an interface that carries no VIP ({@code tk0}, a
 * veth into the bridge): its carrier loss puts the master in FAULT and the peer takes the VIP, and
 * an interface that is down at start keeps the node in FAULT. Before, only the VIPs' interfaces
 * were watched and tk0's state never reached the election.
 */
@NetnsTest
class DirectorTrackInterfaceNetnsIT {

  private static final String TRACKED = "tk0";

  private static void ip(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "ip";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }
  }

  /** tk0 in host 1, its peer tq1 a port of the bridge; the carrier follows tq1. */
  private static void createTracked(DirectorHosts d, boolean up) throws IOException, InterruptedException {
    ip("link", "add", TRACKED, "netns", d.rig.namespace(1), "type", "veth", "peer", "name", "tq1",
        "netns", d.rig.bridgeNamespace());
    ip("-n", d.rig.bridgeNamespace(), "link", "set", "tq1", "master", "br0");
    if (up) {
      ip("-n", d.rig.bridgeNamespace(), "link", "set", "tq1", "up");
    }
    ip("-n", d.rig.namespace(1), "link", "set", TRACKED, "up");
  }

  /** n1 at priority 150 tracking tk0 (weight 0), n2 at 100. */
  private static void start(DirectorHosts d) throws IOException {
    Path c1 = d.config(1, 2, "tk", 150, "");
    String text = Files.readString(c1, StandardCharsets.UTF_8)
        .replace("  virtual_ipaddress {", "  track_interface {\n    " + TRACKED + "\n  }\n  virtual_ipaddress {");
    Files.writeString(c1, text, StandardCharsets.UTF_8);
    d.start(1, c1);
    d.start(2, d.config(2, 1, "tk", 100, ""));
  }

  @Test
  void carrierLossOnATrackedInterfaceWithoutAVipHandsTheVipOver(@TempDir Path dir) throws Exception {
    try (DirectorHosts d = DirectorHosts.bridge("dtki", 2, dir)) {
      createTracked(d, true);
      start(d);
      d.await("n1 holds the VIP", Duration.ofSeconds(30), () -> d.hasVip(1) && !d.hasVip(2));
      long t0 = System.nanoTime();
      ip("-n", d.rig.bridgeNamespace(), "link", "set", "tq1", "down");
      d.await("n2 holds the VIP after tk0 lost carrier", Duration.ofSeconds(3), () -> d.hasVip(2) && !d.hasVip(1));
      System.out.printf("[director netns] carrier loss on tracked %s (no VIP on it) -> VIP on n2 after %d ms%n",
          TRACKED, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  @Test
  void aTrackedInterfaceDownAtStartKeepsTheNodeInFault(@TempDir Path dir) throws Exception {
    try (DirectorHosts d = DirectorHosts.bridge("dtks", 2, dir)) {
      createTracked(d, false);
      start(d);
      d.await("n2 holds the VIP", Duration.ofSeconds(30), () -> d.hasVip(2));
      Thread.sleep(1_000); // n1 (priority 150, preempt) would have taken it over by now
      assertFalse(d.hasVip(1), "n1 stays in FAULT while tk0 is down\n" + d.logs());
      assertTrue(d.hasVip(2));
      long t0 = System.nanoTime();
      ip("-n", d.rig.bridgeNamespace(), "link", "set", "tq1", "up");
      d.await("n1 takes over once tk0 is up", Duration.ofSeconds(10), () -> d.hasVip(1) && !d.hasVip(2));
      System.out.printf("[director netns] tracked %s down at start: n1 in FAULT; up -> VIP on n1 after %d ms%n",
          TRACKED, (System.nanoTime() - t0) / 1_000_000);
    }
  }
}
