package io.ha4j.it.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.testkit.vip.FakeAddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.ArpFrame;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.NeighborAdvertisementFrame;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The owner hears another host claim its VIPs (issue 17 item 2): what counts as a conflict, and what does not. */
class VipOwnerConflictTest {

  private static final MacAddress OURS = MacAddress.parse("02:00:00:00:00:01");
  private static final MacAddress THEIRS = MacAddress.parse("02:00:00:00:00:02");

  private final FakeAddressKernel kernel = new FakeAddressKernel();
  private final VirtualScheduler scheduler = VirtualScheduler.create();
  private final List<AddressEvent> events = new ArrayList<>();
  private int eth0;
  private int eth1;
  private VirtualAddress vip4;
  private VirtualAddress vip6;
  private VipOwner owner;

  @BeforeEach
  void setUp() throws Exception {
    eth0 = kernel.addInterface("eth0", OURS);
    eth1 = kernel.addInterface("eth1", MacAddress.parse("02:00:00:00:01:01"));
    vip4 = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
    vip6 = VirtualAddress.of(InetAddress.getByName("2001:db8::100"), 64, "eth0");
    owner = VipOwner.builder(kernel, scheduler).manage(vip4, vip6).build();
    owner.watch(events::add);
  }

  @AfterEach
  void tearDown() {
    owner.close();
  }

  private List<AddressEvent.AddressConflict> conflicts() {
    scheduler.clock().runDue();
    return events.stream().filter(AddressEvent.AddressConflict.class::isInstance)
        .map(AddressEvent.AddressConflict.class::cast).toList();
  }

  private byte[] garp(MacAddress mac, VirtualAddress vip) {
    return ArpFrame.gratuitous(ArpFrame.GratuitousKind.REQUEST, mac, (Inet4Address) vip.address()).toBytes();
  }

  @Test
  void anotherMacsGratuitousArpForAnOwnedVipIsAConflict() {
    owner.add(vip4);
    assertTrue(kernel.hear(eth0, garp(THEIRS, vip4)));
    assertEquals(List.of(new AddressEvent.AddressConflict(vip4, "02:00:00:00:00:02")), conflicts());
    assertEquals(1, owner.conflictsHeard());
  }

  @Test
  void anArpReplyFromTheVipIsAConflictToo() throws Exception {
    owner.add(vip4);
    ArpFrame reply = new ArpFrame(OURS, THEIRS, ArpFrame.Operation.REPLY, THEIRS, (Inet4Address) vip4.address(),
        OURS, (Inet4Address) InetAddress.getByName("198.51.100.1"));
    kernel.hear(eth0, reply.toBytes());
    assertEquals(1, conflicts().size());
  }

  @Test
  void anotherMacsNeighbourAdvertisementForAnOwnedIpv6VipIsAConflict() {
    owner.add(vip6);
    kernel.hear(eth0, NeighborAdvertisementFrame.unsolicited(THEIRS, (Inet6Address) vip6.address(), false).toBytes());
    assertEquals(List.of(new AddressEvent.AddressConflict(vip6, "02:00:00:00:00:02")), conflicts());
  }

  @Test
  void ourOwnMacAVipWeDoNotHoldAnotherInterfaceAndAnArpProbeAreNoConflict() throws Exception {
    kernel.hear(eth0, garp(THEIRS, vip4)); // not held yet: the other host may be master
    owner.add(vip4);
    kernel.hear(eth0, garp(OURS, vip4)); // our own, looped back by a bridge
    kernel.hear(eth1, garp(THEIRS, vip4)); // another segment
    ArpFrame probe = new ArpFrame(MacAddress.BROADCAST, THEIRS, ArpFrame.Operation.REQUEST, THEIRS,
        (Inet4Address) InetAddress.getByName("0.0.0.0"), MacAddress.ZERO, (Inet4Address) vip4.address());
    kernel.hear(eth0, probe.toBytes()); // RFC 5227 probe: asks, claims nothing
    owner.remove(vip4);
    kernel.hear(eth0, garp(THEIRS, vip4)); // given up
    assertEquals(List.of(), conflicts());
    assertEquals(0, owner.conflictsHeard());
    assertEquals(0, owner.malformedFrames());
  }

  @Test
  void malformedFramesAreCountedAndDropped() {
    owner.add(vip4);
    owner.add(vip6);
    byte[] shortArp = Arrays.copyOf(garp(THEIRS, vip4), 30);
    byte[] badOpcode = garp(THEIRS, vip4);
    badOpcode[21] = 9;
    byte[] badChecksum = NeighborAdvertisementFrame.unsolicited(THEIRS, (Inet6Address) vip6.address(), false).toBytes();
    badChecksum[56] ^= 0x55;
    kernel.hear(eth0, shortArp);
    kernel.hear(eth0, badOpcode);
    kernel.hear(eth0, badChecksum);
    assertEquals(List.of(), conflicts());
    assertEquals(3, owner.malformedFrames());
    assertEquals(0, owner.conflictsHeard());
  }

  @Test
  void aNeighbourAdvertisementWithoutLinkLayerAddressClaimsNothing() {
    owner.add(vip6);
    // What Linux answers to a unicast solicitation: the fixed part only, no target link-layer option.
    Inet6Address target = (Inet6Address) vip6.address();
    byte[] frame = Arrays.copyOf(NeighborAdvertisementFrame.unsolicited(THEIRS, target, false).toBytes(), 78);
    frame[19] = 24; // IPv6 payload length
    frame[56] = 0;
    frame[57] = 0;
    int sum = NeighborAdvertisementFrame.checksum(target, NeighborAdvertisementFrame.ALL_NODES, frame, 54, 24);
    frame[56] = (byte) (sum >>> 8);
    frame[57] = (byte) sum;
    assertTrue(kernel.hear(eth0, frame));
    assertEquals(List.of(), conflicts());
    assertEquals(0, owner.malformedFrames(), "a valid advertisement, not a malformed one");
  }

  @Test
  void framesTheClaimSocketsFilterOutNeverReachTheOwner() {
    owner.add(vip6);
    byte[] solicitation = NeighborAdvertisementFrame.unsolicited(THEIRS, (Inet6Address) vip6.address(), false).toBytes();
    solicitation[54] = (byte) 135; // a neighbour solicitation
    byte[] ipv4 = garp(THEIRS, vip4);
    ipv4[12] = 0x08;
    ipv4[13] = 0x00;
    assertFalse(kernel.hear(eth0, solicitation));
    assertFalse(kernel.hear(eth0, ipv4));
    assertEquals(0, owner.malformedFrames());
  }

  @Test
  void aFloodOfClaimsIsCountedButReportedOncePerGap() {
    owner.add(vip4);
    for (int i = 0; i < 50; i++) {
      kernel.hear(eth0, garp(THEIRS, vip4));
    }
    assertEquals(1, conflicts().size());
    assertEquals(50, owner.conflictsHeard());
    scheduler.clock().advanceBy(Duration.ofMillis(100));
    kernel.hear(eth0, garp(THEIRS, vip4));
    assertEquals(2, conflicts().size());
  }
}
