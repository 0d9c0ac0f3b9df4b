package io.ha4j.it.netlink;

import io.ha4j.testkit.netns.Commands;
import io.ha4j.testkit.netns.NetnsTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsException;
import io.ha4j.linux.Errno;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Netlink sockets of ha-linux's netlink core opened in a fresh, empty network namespace (only
 * {@code lo}) talk to that namespace's kernel, while the caller's thread stays in its own namespace.
 */
@NetnsTest
class NetlinkNamespaceIT {

  private static final int RTM_NEWLINK = 16;
  private static final int RTM_GETLINK = 18;

  private static String freshNamespace(String prefix) {
    String ns = prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    Commands.run(20, "", List.of("ip", "netns", "add", ns)).orThrow();
    return ns;
  }

  private static void delete(String ns) {
    Commands.run(20, "", List.of("ip", "netns", "delete", ns)).orThrow();
  }

  private static int countLinks(NetlinkSocket s) {
    try (NetlinkConnection c = new NetlinkConnection(s)) {
      MessageBuilder m = new MessageBuilder(RTM_GETLINK, 0).putBytes(new byte[16]); // struct ifinfomsg
      List<NetlinkMessage> parts = c.dump(m);
      return (int) parts.stream().filter(p -> p.type() == RTM_NEWLINK).count();
    }
  }

  @Test
  void socketLivesInTheNamedNamespace() {
    // linux/rtnetlink.h: an RTM_GETLINK dump there lists only lo
    String ns = freshNamespace("ipvsnl");
    try {
      assertEquals(1, countLinks(NetlinkSocket.open(Netlink.PROTOCOL_ROUTE, ns)), "only lo in a new namespace");
      assertTrue(countLinks(NetlinkSocket.open(Netlink.PROTOCOL_ROUTE)) >= 1);
    } finally {
      delete(ns);
    }
  }

  @Test
  void ipvsClientInANamedNamespace() {
    // an empty IPVS table, or, where ip_vs is not loaded (this build host), the typed
    // "module not loaded" error from the genl controller's ENOENT
    String ns = freshNamespace("ipvscl");
    try (IpvsClient client = IpvsClient.open(ns)) {
      try {
        assertEquals(0, client.services().size(), "a new namespace has an empty IPVS table");
      } catch (IpvsException e) {
        assertTrue(e.getMessage().contains("ip_vs module not loaded"), e.getMessage());
        assertEquals(Errno.ENOENT.number(), e.errno());
      }
    } finally {
      delete(ns);
    }
  }
}
