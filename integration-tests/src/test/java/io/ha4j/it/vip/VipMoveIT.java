package io.ha4j.it.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.core.time.SystemScheduler;
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
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
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
      LockSupport.parkNanos(500_000); // not a spin: this machine has two cores
    }
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /**
   * Starts {@code ip monitor OBJECT} in host {@code i} and waits until it provably listens: probe
   * {@code k} (k = 1, 2, ...) makes a change whose notification contains {@code marker(k)}.
   */
  private IpMonitor monitor(int host, String object, IntFunction<String[]> probe, IntFunction<String> marker)
      throws Exception {
    IpMonitor m = new IpMonitor(rig.namespace(host), object);
    long since = System.nanoTime();
    for (int k = 1; ; k++) {
      if (k > 50) {
        m.close();
        throw new AssertionError("ip monitor " + object + " in host " + host + " never showed a probe");
      }
      rig.exec(host, probe.apply(k)).orThrow();
      if (m.seen(since, marker.apply(k))) {
        return m;
      }
    }
  }

  /** @param literal the address as iproute2 prints it (IPv6 compressed) */
  private void moveAndMeasure(VirtualAddress vip1, VirtualAddress vip2, String literal, String family) throws Exception {
    InetAddress a = vip1.address();
    boolean v6 = family.equals("IPv6");
    try (VipOwner n1 = owner(1, vip1); VipOwner n2 = owner(2, vip2);
        IpMonitor neigh = monitor(3, "neigh",
            k -> new String[] {"ip", "neigh", "replace", "198.51.100.250", "lladdr", "02:00:00:00:01:" + (10 + k),
                "dev", "veth3"},
            k -> "02:00:00:00:01:" + (10 + k))) {
      n1.add(vip1);
      n1.announce(vip1);
      assertTrue(rig.exec(3, "ping", v6 ? "-6" : "-4", "-c", "1", "-W", "2", a.getHostAddress()).ok(),
          "n3 reaches the VIP on n1");
      assertTrue(neighbour(3, a).contains(rig.mac(1)), "n3 has n1's MAC: " + neighbour(3, a));

      n1.remove(vip1);
      long added = System.nanoTime();
      n2.add(vip2);
      if (family.equals("IPv4")) {
        // Control: without an announcement n3 keeps the old MAC (recipe: 7.8 s until it re-probes).
        neigh.assertNone(added, l -> l.startsWith(literal + " ") && l.contains(rig.mac(2)), 300, "update without GARP");
      }
      long t0 = System.nanoTime();
      n2.announce(vip2);
      long t1 = neigh.await(t0, l -> l.startsWith(literal + " ") && l.contains(rig.mac(2)),
          "n3's entry for " + a + " with n2's MAC");
      double ms = (t1 - t0) / 1e6;
      System.out.printf("%s VIP moved n1 -> n2: n3's neighbour entry showed n2's MAC %.2f ms after n2 began to"
          + " announce it (%s)%n", family, ms, neighbour(3, a));
      assertTrue(ms < 100, family + " neighbour update took " + ms + " ms");
      assertTrue(rig.exec(3, "ping", v6 ? "-6" : "-4", "-c", "1", "-W", "2", a.getHostAddress()).ok(),
          "n3 reaches the VIP on n2");
    }
    String n2Addresses = rig.exec(2, "ip", "addr", "show").orThrow().stdout();
    assertTrue(n2Addresses.contains(rig.mac(2)) && !n2Addresses.contains(literal + "/"), "close removed it: " + n2Addresses);
  }

  @Test
  void ipv4VipMovesWithGratuitousArpAndN3FollowsWithin100ms() throws Exception {
    InetAddress a = InetAddress.getByName("198.51.100.100");
    moveAndMeasure(VirtualAddress.of(a, 24, "veth1"), VirtualAddress.of(a, 24, "veth2"), "198.51.100.100", "IPv4");
  }

  @Test
  void ipv6VipMovesWithUnsolicitedNeighbourAdvertisementAndN3FollowsWithin100ms() throws Exception {
    InetAddress a = InetAddress.getByName("2001:db8::100");
    moveAndMeasure(VirtualAddress.of(a, 64, "veth1"), VirtualAddress.of(a, 64, "veth2"), "2001:db8::100", "IPv6");
  }

  @Test
  void vipDeletedFromOutsideIsNoticedAndPutBackWithin100ms() throws Exception {
    InetAddress a = InetAddress.getByName("198.51.100.100");
    VirtualAddress vip = VirtualAddress.of(a, 24, "veth1");
    List<AddressEvent> events = new CopyOnWriteArrayList<>();
    try (VipOwner n1 = owner(1, vip);
        IpMonitor addr = monitor(1, "address",
            k -> new String[] {"ip", "addr", "add", "203.0.113." + k + "/32", "dev", "lo"},
            k -> "203.0.113." + k + "/32")) {
      n1.watch(events::add);
      n1.add(vip);
      long t0 = System.nanoTime();
      assertTrue(rig.exec(1, "ip", "addr", "del", a.getHostAddress() + "/24", "dev", "veth1").ok());
      String needle = "inet " + a.getHostAddress() + "/24";
      long deleted = addr.await(t0, l -> l.startsWith("Deleted") && l.contains(needle), "Deleted " + needle);
      long back = addr.await(deleted, l -> !l.startsWith("Deleted") && l.contains(needle), "re-added " + needle);
      double ms = (back - deleted) / 1e6;
      System.out.printf("VIP deleted with 'ip addr del' was back %.2f ms after the kernel announced the deletion;"
          + " events %s%n", ms, events);
      assertTrue(ms < 100, "restore took " + ms + " ms");
      assertEquals(List.of(new AddressEvent.AddressRemoved(vip)), events);
    }
  }

  @Test
  void staleVipLeftByACrashedRunIsRemovedByReleaseStale() throws Exception {
    InetAddress a = InetAddress.getByName("198.51.100.100");
    VirtualAddress vip = VirtualAddress.of(a, 24, "veth1");
    // What keepalived or we leave behind after SIGKILL (netns recipe, section 3).
    rig.exec(1, "ip", "addr", "add", "198.51.100.100/24", "dev", "veth1").orThrow();
    try (VipOwner n1 = owner(1, vip)) {
      assertEquals(List.of(vip), n1.list());
      assertEquals(List.of(vip), n1.releaseStale());
      assertEquals(List.of(), n1.list());
    }
    String left = rig.exec(1, "ip", "addr", "show", "dev", "veth1").orThrow().stdout();
    assertTrue(left.contains("198.51.100.1/24") && !left.contains("198.51.100.100/"), left);
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
