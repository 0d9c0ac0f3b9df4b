package io.ha4j.it.vip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Cancellable;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import io.ha4j.vip.codec.AddressMessage;
import io.ha4j.vip.codec.Rtnetlink;
import io.ha4j.vip.linux.LinuxAddressKernel;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The notification socket of {@link LinuxAddressKernel} does not hear the changes made through its
 * own request socket (a socket filter on {@code nlmsg_pid}, which rtnetlink sets to the requester's
 * port), and still hears everybody else's: the wake-up of its thread used to land between a
 * take-over's RTM_NEWADDR and its ack. Checked against a real kernel in a namespace, with {@code ip}
 * as the other process.
 */
@NetnsTest
class OwnNotificationsIT {

  private NetnsRig rig;
  private LinuxAddressKernel kernel;
  private final List<NetlinkMessage> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    rig = NetnsRig.bridge("own", 1);
    kernel = LinuxAddressKernel.open(rig.namespace(1));
  }

  @AfterEach
  void tearDown() {
    if (kernel != null) {
      kernel.close();
    }
    rig.close();
  }

  private boolean heardNewAddress(InetAddress a) {
    return heard.stream().anyMatch(m -> m.type() == Rtnetlink.RTM_NEWADDR
        && a.equals(AddressMessage.from(m).ownAddress()));
  }

  private void awaitNewAddress(InetAddress a) {
    long start = System.nanoTime();
    while (!heardNewAddress(a)) {
      if (System.nanoTime() - start > 5_000_000_000L) {
        throw new AssertionError("no RTM_NEWADDR for " + a.getHostAddress() + " within 5 s; heard " + heard.size());
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  private void addWithIp(String address) {
    rig.exec(1, "ip", "addr", "add", address + "/24", "dev", rig.interfaceName(1)).orThrow();
  }

  @Test
  void ourOwnAddressChangesAreNotDeliveredAndEverybodyElsesAre() throws Exception {
    Cancellable subscription = kernel.subscribe(heard::add, () -> { });
    try {
      // Another process's change arrives: the subscription is live (and the filter lets it through).
      InetAddress first = InetAddress.getByName("198.51.100.201");
      addWithIp(first.getHostAddress());
      awaitNewAddress(first);

      // Our own change, through the kernel's request socket as VipOwner makes it.
      int index = Integer.parseInt(rig.exec(1, "cat", "/sys/class/net/" + rig.interfaceName(1) + "/ifindex")
          .orThrow().stdout().strip());
      InetAddress ours = InetAddress.getByName("198.51.100.202");
      NetlinkConnection route = new NetlinkConnection(kernel.routeSocket());
      route.request(AddressMessage.of(ours, 24, index, 0, null)
          .toMessage(Rtnetlink.RTM_NEWADDR, Netlink.F_EXCL | Netlink.F_CREATE));
      assertTrue(rig.exec(1, "ip", "-o", "addr", "show", "to", ours.getHostAddress()).orThrow().stdout()
          .contains(ours.getHostAddress()), "the kernel has our address");

      // A later change by another process arrives, and notifications come in order: had ours been
      // delivered, it would be here by now.
      InetAddress last = InetAddress.getByName("198.51.100.203");
      addWithIp(last.getHostAddress());
      awaitNewAddress(last);
      assertFalse(heardNewAddress(ours), "our own RTM_NEWADDR was delivered: " + heard);
    } finally {
      subscription.cancel();
    }
  }
}
