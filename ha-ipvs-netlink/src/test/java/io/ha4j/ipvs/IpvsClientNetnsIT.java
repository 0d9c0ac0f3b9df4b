package io.ha4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.netlink.NetlinkSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client opened inside a fresh network namespace talks to that namespace's kernel: it sees an
 * empty IPVS table, or, where ip_vs is not loaded (this build host), the typed "module not loaded"
 * error from the controller's ENOENT.
 */
@Tag("netns")
class IpvsClientNetnsIT {

  private static void requireRig() {
    String why = null;
    if (!"root".equals(System.getProperty("user.name"))) {
      why = "not root";
    } else if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
      why = "no ip binary";
    } else if (NetlinkSocket.unavailabilityCause() != null) {
      why = "netlink unavailable: " + NetlinkSocket.unavailabilityCause();
    }
    if (why != null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("netns test cannot run in CI: " + why);
      }
      Assumptions.abort("skipped: " + why);
    }
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "ip";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroy();
      throw new IOException("ip " + String.join(" ", args) + " failed");
    }
  }

  @Test
  void clientInANamedNamespace() throws Exception {
    requireRig();
    String ns = "ipvscl" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    ip("netns", "add", ns);
    try (IpvsClient client = IpvsClient.open(ns)) {
      try {
        assertEquals(0, client.services().size(), "a new namespace has an empty IPVS table");
      } catch (IpvsException e) {
        assertTrue(e.getMessage().contains("ip_vs module not loaded"), e.getMessage());
        assertEquals(2, e.errno());
      }
    } finally {
      ip("netns", "delete", ns);
    }
  }
}
