package io.ha4j.testkit.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.core.time.SystemScheduler;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import io.ha4j.vip.AddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.ArpFrame;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.NeighborAdvertisementFrame;
import io.ha4j.vip.linux.LinuxAddressKernel;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 2: the fake's {@link FakeAddressKernel#hear} is trusted because Linux's claim
 * sockets (AF_PACKET, ARP and IPv6 with their socket filters) report the same: the same frames, sent
 * by another host on a real bridge or handed to the fake, give the same conflicts, the same
 * malformed count, and nothing for the frames the filters keep out or the owner's own announcements.
 */
@NetnsTest
class FakeAddressKernelClaimsDifferentialIT {

  private static final MacAddress OTHER = MacAddress.parse("02:00:00:00:00:02");

  /** The frames another host sends, in order. */
  private static List<byte[]> frames() throws Exception {
    Inet4Address v4 = (Inet4Address) InetAddress.getByName("198.51.100.100");
    Inet6Address v6 = (Inet6Address) InetAddress.getByName("2001:db8::100");
    List<byte[]> f = new ArrayList<>();
    f.add(ArpFrame.gratuitous(ArpFrame.GratuitousKind.REQUEST, OTHER, v4).toBytes()); // a conflict
    f.add(NeighborAdvertisementFrame.unsolicited(OTHER, v6, false).toBytes()); // a conflict
    f.add(new ArpFrame(MacAddress.BROADCAST, OTHER, ArpFrame.Operation.REQUEST, OTHER,
        (Inet4Address) InetAddress.getByName("0.0.0.0"), MacAddress.ZERO, v4).toBytes()); // a probe: nothing
    byte[] badOpcode = ArpFrame.gratuitous(ArpFrame.GratuitousKind.REPLY, OTHER, v4).toBytes();
    badOpcode[21] = 9;
    f.add(badOpcode); // ARP, so past the filter: malformed
    byte[] badChecksum = NeighborAdvertisementFrame.unsolicited(OTHER, v6, false).toBytes();
    badChecksum[56] ^= 0x55;
    f.add(badChecksum); // an NA by the filter: malformed
    byte[] solicitation = NeighborAdvertisementFrame.unsolicited(OTHER, v6, false).toBytes();
    solicitation[54] = (byte) 135;
    f.add(solicitation); // ICMPv6 but not an NA: kept out by the filter
    return f;
  }

  /** What an owner holding both VIPs on veth1 reports while {@code send} delivers the frames. */
  private static List<String> transcript(AddressKernel kernel, SystemScheduler scheduler, Consumer<byte[]> send)
      throws Exception {
    VirtualAddress v4 = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "veth1");
    VirtualAddress v6 = VirtualAddress.of(InetAddress.getByName("2001:db8::100"), 64, "veth1");
    List<AddressEvent> events = new CopyOnWriteArrayList<>();
    List<String> t = new ArrayList<>();
    try (VipOwner owner = VipOwner.builder(kernel, scheduler).manage(v4, v6).build()) {
      owner.watch(e -> {
        if (e instanceof AddressEvent.AddressConflict) {
          events.add(e);
        }
      });
      owner.add(v4);
      owner.add(v6);
      owner.announce(v4); // our own frames are not claims of another host
      owner.announce(v6);
      for (byte[] f : frames()) {
        send.accept(f);
      }
      Thread.sleep(500); // frames come on their own threads, events on the scheduler
      t.add("conflicts " + events.stream().map(Object::toString).sorted().toList());
      t.add("claims heard " + owner.conflictsHeard());
      t.add("malformed " + owner.malformedFrames());
    }
    return t;
  }

  @Test
  void fakeAndLinuxHearTheSameClaims() throws Exception {
    List<String> real;
    List<String> fake;
    try (SystemScheduler scheduler = new SystemScheduler("claims-diff")) {
      try (NetnsRig rig = NetnsRig.bridge("vipcl", 2);
          LinuxAddressKernel sender = LinuxAddressKernel.open(rig.namespace(2))) {
        int veth2 = index(rig, 2);
        real = transcript(LinuxAddressKernel.open(rig.namespace(1)), scheduler, f -> sender.sendFrame(veth2, f));
      }
      FakeAddressKernel kernel = new FakeAddressKernel();
      int veth1 = kernel.addInterface("veth1", MacAddress.parse("02:00:00:00:00:01"));
      fake = transcript(kernel, scheduler, f -> kernel.hear(veth1, f));
    }
    System.out.println("claims transcript (Linux):\n  " + String.join("\n  ", real));
    assertEquals(String.join("\n", real), String.join("\n", fake));
  }

  private static int index(NetnsRig rig, int host) {
    String out = rig.exec(host, "ip", "-o", "link", "show", rig.interfaceName(host)).orThrow().stdout();
    return Integer.parseInt(out.substring(0, out.indexOf(':')).strip());
  }
}
