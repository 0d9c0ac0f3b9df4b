package io.ha4j.testkit.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.SystemScheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.linux.LinuxAddressKernel;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A VIP moves between real namespaces n1 -> n2 on a bridge while n3 holds a neighbour entry for it;
 * our announcement must update n3's entry (netns recipe: with arp_accept=0 an existing entry is
 * updated by a gratuitous ARP request or reply; RFC 4861 section 7.2.5 for an NA with override).
 * Our sockets are opened inside the namespaces with setns; the JVM stays in the root namespace.
 */
@NetnsTest
class VipMoveIT {

  private NetnsRig rig;
  private SystemScheduler scheduler;

  @BeforeEach
  void setUp() {
    rig = NetnsRig.bridge("vip", 3);
    scheduler = new SystemScheduler("vip-it");
  }

  @AfterEach
  void tearDown() {
    scheduler.close();
    rig.close();
  }

  private VipOwner owner(int host, VirtualAddress vip) {
    return VipOwner.builder(LinuxAddressKernel.open(rig.namespace(host)), scheduler).manage(vip).build();
  }

  private String neighbour(int host, InetAddress a) {
    return rig.exec(host, "ip", "neigh", "show", a.getHostAddress()).stdout().strip();
  }

  /** Milliseconds until {@code condition} holds, polling as fast as a process spawn allows; fails after 3 s. */
  private static long millisUntil(long startNanos, BooleanSupplier condition, String what) {
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - startNanos > 3_000_000_000L) {
        throw new AssertionError("not within 3 s: " + what);
      }
      Thread.onSpinWait();
    }
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private void moveAndMeasure(VirtualAddress vip1, VirtualAddress vip2, String ping, String family) {
    InetAddress a = vip1.address();
    try (VipOwner n1 = owner(1, vip1); VipOwner n2 = owner(2, vip2)) {
      n1.add(vip1);
      n1.announce(vip1);
      assertTrue(rig.exec(3, ping, "-c", "1", "-W", "2", a.getHostAddress()).ok(), "n3 reaches the VIP on n1");
      assertTrue(neighbour(3, a).contains(rig.mac(1)), "n3 has n1's MAC: " + neighbour(3, a));

      n1.remove(vip1);
      long t0 = System.nanoTime();
      n2.add(vip2);
      n2.announce(vip2);
      long ms = millisUntil(t0, () -> neighbour(3, a).contains(rig.mac(2)), "n3's entry for " + a + " shows n2");
      System.out.printf("%s VIP moved n1 -> n2: n3's neighbour entry showed n2's MAC after %d ms (%s)%n",
          family, ms, neighbour(3, a));
      assertTrue(ms < 100, family + " neighbour update took " + ms + " ms");
      assertTrue(rig.exec(3, ping, "-c", "1", "-W", "2", a.getHostAddress()).ok(), "n3 reaches the VIP on n2");
    }
    assertTrue(rig.exec(2, "ip", "addr", "show").stdout().indexOf(a.getHostAddress() + "/") < 0, "close removed it");
  }

  @Test
  void ipv4VipMovesWithGratuitousArpAndN3FollowsWithin100ms() throws Exception {
    InetAddress a = InetAddress.getByName("198.51.100.100");
    moveAndMeasure(VirtualAddress.of(a, 24, "veth1"), VirtualAddress.of(a, 24, "veth2"), "ping", "IPv4");
  }

  @Test
  void ipv6VipMovesWithUnsolicitedNeighbourAdvertisementAndN3FollowsWithin100ms() throws Exception {
    InetAddress a = InetAddress.getByName("2001:db8::100");
    moveAndMeasure(VirtualAddress.of(a, 64, "veth1"), VirtualAddress.of(a, 64, "veth2"), "ping", "IPv6");
  }

  @Test
  void vipDeletedFromOutsideIsNoticedAndPutBackWithin100ms() throws Exception {
    InetAddress a = InetAddress.getByName("198.51.100.100");
    VirtualAddress vip = VirtualAddress.of(a, 24, "veth1");
    List<AddressEvent> events = new CopyOnWriteArrayList<>();
    try (VipOwner n1 = owner(1, vip)) {
      n1.watch(events::add);
      n1.add(vip);
      long t0 = System.nanoTime();
      assertTrue(rig.exec(1, "ip", "addr", "del", a.getHostAddress() + "/24", "dev", "veth1").ok());
      long deleted = (System.nanoTime() - t0) / 1_000_000;
      long ms = millisUntil(t0, () -> rig.exec(1, "ip", "-4", "addr", "show", "dev", "veth1").stdout()
          .contains(a.getHostAddress() + "/24"), "VIP back on veth1");
      System.out.printf("VIP deleted with 'ip addr del' (which took %d ms) was back after %d ms; events %s%n",
          deleted, ms, events);
      assertTrue(ms < 100, "restore took " + ms + " ms");
      assertEquals(List.of(new AddressEvent.AddressRemoved(vip)), events);
    }
  }

  @Test
  void interfaceGoingDownIsReportedAsLinkDown() throws Exception {
    VirtualAddress vip = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "veth1");
    List<AddressEvent> events = new CopyOnWriteArrayList<>();
    try (VipOwner n1 = owner(1, vip)) {
      n1.watch(events::add);
      n1.add(vip);
      long t0 = System.nanoTime();
      // The peer end going down takes n1's carrier away, as a pulled cable would.
      assertTrue(new ProcessBuilder("ip", "-n", rig.bridgeNamespace(), "link", "set", "p1", "down").start().waitFor() == 0);
      long ms = millisUntil(t0, () -> events.contains(new AddressEvent.LinkDown("veth1")), "LinkDown");
      System.out.printf("carrier loss on veth1 reported after %d ms%n", ms);
      assertTrue(new ProcessBuilder("ip", "-n", rig.bridgeNamespace(), "link", "set", "p1", "up").start().waitFor() == 0);
      millisUntil(System.nanoTime(), () -> events.contains(new AddressEvent.LinkUp("veth1")), "LinkUp");
    }
  }
}
