package io.ha4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A socket opened in a fresh namespace sees that namespace: an RTM_GETLINK dump (linux/rtnetlink.h)
 * there lists only {@code lo}, while the caller's thread stays in its own namespace.
 */
@Tag("netns")
class NetlinkSocketNetnsIT {

  private static final int RTM_NEWLINK = 16;
  private static final int RTM_GETLINK = 18;

  private static void requireRig() {
    String why = null;
    if (!"root".equals(System.getProperty("user.name"))) {
      why = "not root";
    } else if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
        && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
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

  private static int countLinks(NetlinkSocket s) {
    try (NetlinkConnection c = new NetlinkConnection(s)) {
      MessageBuilder m = new MessageBuilder(RTM_GETLINK, 0).putBytes(new byte[16]); // struct ifinfomsg
      List<NetlinkMessage> parts = c.dump(m);
      return (int) parts.stream().filter(p -> p.type() == RTM_NEWLINK).count();
    }
  }

  @Test
  void socketLivesInTheNamedNamespace() throws Exception {
    requireRig();
    String ns = "ipvsnl" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    ip("netns", "add", ns);
    try {
      assertEquals(1, countLinks(NetlinkSocket.open(Netlink.PROTOCOL_ROUTE, ns)), "only lo in a new namespace");
      assertTrue(countLinks(NetlinkSocket.open(Netlink.PROTOCOL_ROUTE)) >= 1);
    } finally {
      ip("netns", "delete", ns);
    }
  }
}
