package io.ha4j.it.vip;

import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.testkit.vip.FakeAddressKernel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Cancellable;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.api.address.AddressException;
import io.ha4j.linux.Errno;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkTransport;
import io.ha4j.vip.AddressKernel;
import io.ha4j.vip.AnnouncementPolicy;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.AddressMessage;
import io.ha4j.vip.codec.ArpFrame;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.NeighborAdvertisementFrame;
import io.ha4j.vip.codec.Rtnetlink;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VipOwnerTest {

  private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
  private FakeAddressKernel kernel = new FakeAddressKernel();
  private final VirtualScheduler scheduler = VirtualScheduler.create();
  private final List<AddressEvent> events = new ArrayList<>();
  private VirtualAddress vip4;
  private VirtualAddress vip6;
  private VipOwner owner;

  @BeforeEach
  void setUp() throws Exception {
    kernel.addInterface("eth0", MAC);
    vip4 = new VirtualAddress(InetAddress.getByName("198.51.100.100"), 24, "eth0", "eth0:vip");
    vip6 = VirtualAddress.of(InetAddress.getByName("2001:db8::100"), 64, "eth0");
    owner = VipOwner.builder(kernel, scheduler).manage(vip4, vip6).build();
    owner.watch(events::add);
  }

  /** Closes the owner and starts over with a fresh kernel (a closed kernel stays closed). */
  private void freshKernel() {
    owner.close();
    kernel = new FakeAddressKernel();
    kernel.addInterface("eth0", MAC);
  }

  @AfterEach
  void tearDown() {
    owner.close();
  }

  private List<NetlinkMessage> requestsOfType(int type) {
    return kernel.requests().stream().filter(m -> m.type() == type).toList();
  }

  @Test
  void addIsIdempotentBecauseEexistCountsAsSuccess() {
    owner.add(vip4);
    owner.add(vip4);
    assertTrue(kernel.has("eth0", vip4.address()));
    assertEquals(1, kernel.addresses().size());
    assertEquals(2, requestsOfType(Rtnetlink.RTM_NEWADDR).size(), "the second add reached the kernel and got EEXIST");
    assertEquals(List.of(vip4), owner.list());
  }

  @Test
  void removeIsIdempotentBecauseEaddrnotavailCountsAsSuccess() {
    owner.add(vip4);
    owner.remove(vip4);
    owner.remove(vip4);
    assertFalse(kernel.has("eth0", vip4.address()));
    assertEquals(List.of(), owner.list());
  }

  @Test
  void ipv6VipsAreAddedWithNodadSoTheyAreUsableAtOnce() {
    owner.add(vip6);
    AddressMessage sent = AddressMessage.from(requestsOfType(Rtnetlink.RTM_NEWADDR).get(0));
    assertEquals(AddressMessage.IFA_F_NODAD, sent.flags() & AddressMessage.IFA_F_NODAD);
    assertTrue(kernel.has("eth0", vip6.address()));
  }

  @Test
  void ipv4LabelIsSent() {
    owner.add(vip4);
    assertEquals("eth0:vip", AddressMessage.from(requestsOfType(Rtnetlink.RTM_NEWADDR).get(0)).label());
  }

  @Test
  void addressesOutsideTheManagedSetAreNeverTouched() throws Exception {
    VirtualAddress other = VirtualAddress.of(InetAddress.getByName("198.51.100.1"), 24, "eth0");
    kernel.addExternally("eth0", other.address(), 24);
    int before = kernel.requests().size();
    assertEquals(AddressException.Reason.NOT_MANAGED, assertThrows(AddressException.class, () -> owner.remove(other)).reason());
    assertEquals(AddressException.Reason.NOT_MANAGED, assertThrows(AddressException.class, () -> owner.add(other)).reason());
    assertEquals(AddressException.Reason.NOT_MANAGED, assertThrows(AddressException.class, () -> owner.announce(other)).reason());
    assertEquals(before, kernel.requests().size(), "no request was sent");
    owner.close();
    assertTrue(kernel.has("eth0", other.address()), "close leaves unmanaged addresses alone");
  }

  @Test
  void unknownInterfaceIsNoSuchInterface_ENODEV() throws Exception {
    VirtualAddress nowhere = VirtualAddress.of(InetAddress.getByName("198.51.100.102"), 24, "nosuchdev");
    owner.manage(nowhere);
    AddressException e = assertThrows(AddressException.class, () -> owner.add(nowhere));
    assertEquals(AddressException.Reason.NO_SUCH_INTERFACE, e.reason());
    assertEquals(Errno.ENODEV.number(), e.errno());
    owner.remove(nowhere); // nothing to remove on an interface that does not exist
  }

  @Test
  void epermIsNotPermitted() {
    owner.add(vip6); // resolves the interface first
    kernel.failNextRequest(Errno.EPERM.number());
    AddressException e = assertThrows(AddressException.class, () -> owner.add(vip4));
    assertEquals(AddressException.Reason.NOT_PERMITTED, e.reason());
    assertEquals(Errno.EPERM.number(), e.errno());
  }

  @Test
  void announceSendsKeepalivedsTwoBurstsOfFiveGratuitousArps() {
    owner.add(vip4);
    owner.announce(vip4);
    byte[] garp = ArpFrame.gratuitous(ArpFrame.GratuitousKind.REQUEST, MAC, (Inet4Address) vip4.address()).toBytes();
    assertEquals(5, kernel.frames().size(), "garp_master_repeat 5 at once");
    scheduler.clock().advanceBy(Duration.ofMillis(4999));
    assertEquals(5, kernel.frames().size());
    scheduler.clock().advanceBy(Duration.ofMillis(1));
    assertEquals(10, kernel.frames().size(), "5 more after garp_master_delay 5 s");
    scheduler.clock().advanceBy(Duration.ofMinutes(5));
    assertEquals(10, kernel.frames().size(), "no refresh by default");
    for (FakeAddressKernel.Frame f : kernel.frames()) {
      assertArrayEquals(garp, f.bytes());
    }
  }

  /** {@link #kernel}, with every frame array handed to it kept as it was handed: identity shows reuse. */
  private AddressKernel keepingFrameArrays(List<byte[]> handed) {
    return new AddressKernel() {
      @Override
      public NetlinkTransport routeSocket() {
        return kernel.routeSocket();
      }

      @Override
      public Cancellable subscribe(Consumer<NetlinkMessage> sink, Runnable lost) {
        return kernel.subscribe(sink, lost);
      }

      @Override
      public void sendFrame(int index, byte[] frame) {
        kernel.sendFrame(index, frame);
        handed.add(frame);
      }

      @Override
      public void close() {
        kernel.close();
      }
    };
  }

  @Test
  void prepareEncodesTheTakeOverAheadWithoutAddingOrSendingAnything() {
    freshKernel();
    List<byte[]> handed = new ArrayList<>();
    owner = VipOwner.builder(keepingFrameArrays(handed), scheduler).manage(vip4, vip6).build();
    owner.prepare();
    assertTrue(kernel.addresses().isEmpty());
    assertTrue(kernel.frames().isEmpty(), "a backup announces nothing");
    assertTrue(requestsOfType(Rtnetlink.RTM_NEWADDR).isEmpty());
    assertEquals(1, requestsOfType(Rtnetlink.RTM_GETLINK).size(), "eth0 looked up once, for both VIPs");
    int prepared = kernel.requests().size();
    owner.add(vip4);
    owner.announce(vip4);
    owner.add(vip6);
    owner.announce(vip6);
    // The take-over asks the kernel nothing but its two RTM_NEWADDR: the interface is known.
    List<NetlinkMessage> takeOver = kernel.requests().subList(prepared, kernel.requests().size());
    assertEquals(List.of(Rtnetlink.RTM_NEWADDR, Rtnetlink.RTM_NEWADDR), takeOver.stream().map(NetlinkMessage::type).toList());
    // The prepared RTM_NEWADDR is the request as ever: exclusive create, label, index.
    AddressMessage added = AddressMessage.from(takeOver.get(0));
    assertEquals(Netlink.F_EXCL | Netlink.F_CREATE, takeOver.get(0).flags() & (Netlink.F_EXCL | Netlink.F_CREATE));
    assertEquals(vip4.address(), added.ownAddress());
    assertEquals(kernel.frames().get(0).index(), added.index());
    assertEquals("eth0:vip", added.label());
    // The frames sent are the gratuitous ARP and the NA, byte for byte, ...
    byte[] garp = ArpFrame.gratuitous(ArpFrame.GratuitousKind.REQUEST, MAC, (Inet4Address) vip4.address()).toBytes();
    assertArrayEquals(garp, handed.get(0));
    assertEquals(vip6.address(), NeighborAdvertisementFrame.decode(ByteBuffer.wrap(handed.get(handed.size() - 1))).target());
    // ... encoded once, ahead: a later announcement sends the very same array (unprepared, each
    // announcement encodes its own: see the next test).
    owner.announce(vip4);
    assertSame(handed.get(0), handed.get(handed.size() - 1));
  }

  @Test
  void unpreparedAnnouncementsEncodeTheirOwnFrames() {
    freshKernel();
    List<byte[]> handed = new ArrayList<>();
    owner = VipOwner.builder(keepingFrameArrays(handed), scheduler).manage(vip4).build();
    owner.add(vip4);
    owner.announce(vip4);
    owner.announce(vip4);
    assertNotSame(handed.get(0), handed.get(handed.size() - 1));
    assertArrayEquals(handed.get(0), handed.get(handed.size() - 1));
  }

  @Test
  void aPreparedTakeOverFollowsAnInterfaceRecreatedWithAnotherMac() {
    owner.prepare();
    kernel.deleteInterface("eth0");
    MacAddress other = MacAddress.parse("02:00:00:00:00:42");
    int index = kernel.addInterface("eth0", other);
    scheduler.clock().advanceBy(Duration.ZERO);
    owner.add(vip4);
    owner.announce(vip4);
    assertTrue(kernel.has("eth0", vip4.address()));
    byte[] garp = ArpFrame.gratuitous(ArpFrame.GratuitousKind.REQUEST, other, (Inet4Address) vip4.address()).toBytes();
    assertArrayEquals(garp, kernel.frames().get(0).bytes(), "announced with the new MAC, not the prepared frame");
    assertEquals(index, kernel.frames().get(0).index());
  }

  @Test
  void replyFormAndPeriodicRefreshAndSpacedBursts() {
    freshKernel();
    owner = VipOwner.builder(kernel, scheduler).manage(vip4)
        .announcement(AnnouncementPolicy.KEEPALIVED.withArpKind(ArpFrame.GratuitousKind.REPLY)
            .withBurst(3, Duration.ofMillis(100)).withRepeatDelay(Duration.ZERO).withRefresh(Duration.ofSeconds(60)))
        .build();
    owner.add(vip4);
    owner.announce(vip4);
    assertEquals(1, kernel.frames().size());
    scheduler.clock().advanceBy(Duration.ofMillis(200));
    assertEquals(3, kernel.frames().size());
    scheduler.clock().advanceBy(Duration.ofSeconds(60));
    assertEquals(4, kernel.frames().size(), "one refresh frame a minute");
    ArpFrame f = ArpFrame.decode(ByteBuffer.wrap(kernel.frames().get(0).bytes()));
    assertEquals(ArpFrame.Operation.REPLY, f.operation());
    assertEquals(MAC, f.targetHardware(), "arping -A puts our own MAC in THA");
    owner.remove(vip4);
    scheduler.clock().advanceBy(Duration.ofMinutes(5));
    assertEquals(4, kernel.frames().size(), "removing a VIP stops its announcements");
  }

  @Test
  void ipv6AnnouncementIsAnUnsolicitedNeighbourAdvertisementWithOverride_RFC4861Section726() {
    owner.add(vip6);
    owner.announce(vip6);
    NeighborAdvertisementFrame na = NeighborAdvertisementFrame.decode(ByteBuffer.wrap(kernel.frames().get(0).bytes()));
    assertEquals(vip6.address(), na.target());
    assertTrue(na.override());
    assertFalse(na.solicited());
    assertEquals(255, na.hopLimit());
    assertEquals(NeighborAdvertisementFrame.ALL_NODES, na.destinationAddress());
    assertEquals(MAC, na.targetHardware());
    assertFalse(na.router());
  }

  @Test
  void routerFlagIsSetWhenAsked_RFC4861Section725() {
    freshKernel();
    owner = VipOwner.builder(kernel, scheduler).manage(vip6)
        .announcement(AnnouncementPolicy.KEEPALIVED.withRouterFlag(true)).build();
    owner.add(vip6);
    owner.announce(vip6);
    assertTrue(NeighborAdvertisementFrame.decode(ByteBuffer.wrap(kernel.frames().get(0).bytes())).router());
  }

  @Test
  void missingCapNetRawMakesAnnounceFailWithNotPermitted() {
    owner.add(vip4);
    kernel.failFrames(Errno.EPERM.number());
    AddressException e = assertThrows(AddressException.class, () -> owner.announce(vip4));
    assertEquals(AddressException.Reason.NOT_PERMITTED, e.reason());
  }

  @Test
  void vipRemovedBySomeoneElseIsReportedPutBackAndAnnounced() {
    owner.add(vip4);
    kernel.removeExternally("eth0", vip4.address());
    assertFalse(kernel.has("eth0", vip4.address()));
    scheduler.clock().runDue();
    assertEquals(List.of(new AddressEvent.AddressRemoved(vip4)), events);
    assertTrue(kernel.has("eth0", vip4.address()), "restored");
    assertEquals(5, kernel.frames().size(), "and announced again");
  }

  @Test
  void withoutRestoreARemovedVipIsOnlyReported() {
    freshKernel();
    owner = VipOwner.builder(kernel, scheduler).manage(vip4).restoreRemoved(false).build();
    owner.watch(events::add);
    owner.add(vip4);
    kernel.removeExternally("eth0", vip4.address());
    scheduler.clock().runDue();
    assertEquals(List.of(new AddressEvent.AddressRemoved(vip4)), events);
    assertFalse(kernel.has("eth0", vip4.address()));
  }

  @Test
  void ourOwnRemovalIsNotAnEvent() {
    owner.add(vip4);
    owner.remove(vip4);
    scheduler.clock().runDue();
    assertEquals(List.of(), events);
    assertFalse(kernel.has("eth0", vip4.address()));
  }

  @Test
  void linkDownAndUpAreReportedOnceEach() {
    owner.add(vip4);
    kernel.setLink("eth0", false);
    kernel.setLink("eth0", false);
    scheduler.clock().runDue();
    assertEquals(List.of(new AddressEvent.LinkDown("eth0")), events);
    kernel.setLink("eth0", true);
    scheduler.clock().runDue();
    assertEquals(List.of(new AddressEvent.LinkDown("eth0"), new AddressEvent.LinkUp("eth0")), events);
  }

  @Test
  void deletedInterfaceIsLinkDown() {
    owner.add(vip4);
    kernel.deleteInterface("eth0");
    scheduler.clock().runDue();
    assertTrue(events.contains(new AddressEvent.LinkDown("eth0")), events.toString());
  }

  @Test
  void releaseStaleRemovesWhatACrashedRunLeftButNotWhatWeOwn() {
    kernel.addExternally("eth0", vip4.address(), 24);
    owner.add(vip6);
    assertEquals(List.of(vip4), owner.releaseStale());
    assertFalse(kernel.has("eth0", vip4.address()));
    assertTrue(kernel.has("eth0", vip6.address()));
  }

  @Test
  void closeRemovesEveryManagedVipThatIsPresent() {
    owner.add(vip4);
    kernel.addExternally("eth0", vip6.address(), 64);
    owner.close();
    assertEquals(List.of(), kernel.addresses());
    assertTrue(kernel.isClosed());
    assertThrows(IllegalStateException.class, () -> owner.add(vip4));
  }

  @Test
  void lostNotificationsAreMadeUpByResynchronising_ENOBUFS() {
    owner.add(vip4);
    kernel.dropNotifications(true);
    kernel.removeExternally("eth0", vip4.address());
    kernel.dropNotifications(false);
    scheduler.clock().runDue();
    assertEquals(List.of(), events, "the removal was not noticed");
    kernel.overrun();
    scheduler.clock().runDue();
    assertEquals(List.of(new AddressEvent.AddressRemoved(vip4)), events);
    assertTrue(kernel.has("eth0", vip4.address()));
  }
}
