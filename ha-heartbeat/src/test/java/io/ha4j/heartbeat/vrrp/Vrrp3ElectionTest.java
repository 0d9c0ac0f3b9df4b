package io.ha4j.heartbeat.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.vrrp.VrrpAdvertisement;
import io.ha4j.heartbeat.vrrp.VrrpCodec;
import io.ha4j.heartbeat.vrrp.VrrpFormatException;
import io.ha4j.heartbeat.vrrp.VrrpWireFormat;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The election with the VRRPv3 wire format, on virtual time, against keepalived's captured bytes. */
class Vrrp3ElectionTest {

  // vectors/vrrp3-keepalived.hex (keepalived 2.2.7): the VRRP messages of captures V1..V4.
  static final String V1_MULTICAST_PRIO150_100CS = "313396010064030bc6336464";
  static final String V2_MULTICAST_PRIO0_100CS = "313300010064990bc6336464";
  static final String V3_UNICAST_TO_2_PRIO150_100CS = "313396010064b8e7c6336464";
  static final String V4_MULTICAST_PRIO150_10CS = "31339601000a0365c6336464";

  static final InetAddress N1 = ip("198.51.100.1");
  static final InetAddress N2 = ip("198.51.100.2");
  static final InetAddress GROUP = VrrpCodec.group4();
  static final VirtualAddress VIP = VirtualAddress.of(ip("198.51.100.100"), 24, "veth1");

  final VirtualClock clock = new VirtualClock(1_000_000_000L);
  final VirtualScheduler scheduler = clock.newScheduler("vrrp");
  final Recording transport = new Recording();

  /** An election with VRID 51, interval 1 s, VIP 198.51.100.100, sending from {@code self}. */
  VrrpElection election(InetAddress self, int priority, UnaryOperator<HeartbeatConfig.Builder> more) {
    HeartbeatConfig config = more.apply(HeartbeatConfig.builder()
        .groupId(51).nodeId(VrrpWireFormat.nodeId(self)).priority(priority)
        .advertisementInterval(Duration.ofSeconds(1)).key(1, new byte[16]).virtualAddress(VIP)).build();
    VrrpElection e = new VrrpElection(config, VrrpWireFormat.of(config, self, false), transport, scheduler);
    e.start();
    clock.runDue();
    return e;
  }

  VrrpElection multicastElection(InetAddress self, int priority) {
    return election(self, priority, b -> b.destination(new InetSocketAddress(GROUP, 0)));
  }

  @Test
  void masterAdvertisementEqualsKeepalivedCaptureV1AndGracefulStopEqualsV2() {
    VrrpElection e = multicastElection(N1, 150);
    clock.advanceBy(VrrpElection.masterDownInterval(150, Duration.ofSeconds(1)));
    assertEquals(Role.MASTER, e.role());
    assertEquals(V1_MULTICAST_PRIO150_100CS, transport.lastHex());
    assertEquals(new InetSocketAddress(GROUP, 0), transport.sent.get(transport.sent.size() - 1).destination());
    e.stop(); // RFC 5798 6.4.3: priority 0 on shutdown
    assertEquals(V2_MULTICAST_PRIO0_100CS, transport.lastHex());
  }

  @Test
  void unicastAdvertisementEqualsKeepalivedCaptureV3() {
    VrrpElection e = election(N1, 150, b -> b.destination(new InetSocketAddress(N2, 0)));
    clock.advanceBy(VrrpElection.masterDownInterval(150, Duration.ofSeconds(1)));
    assertEquals(Role.MASTER, e.role());
    assertEquals(V3_UNICAST_TO_2_PRIO150_100CS, transport.lastHex());
  }

  @Test
  void tenCentisecondIntervalEqualsKeepalivedCaptureV4() {
    VrrpElection e = election(N1, 150, b -> b.destination(new InetSocketAddress(GROUP, 0))
        .advertisementInterval(Duration.ofMillis(100)));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(Role.MASTER, e.role());
    assertEquals(V4_MULTICAST_PRIO150_10CS, transport.lastHex());
  }

  @Test
  void backupLearnsTheMastersIntervalFromItsAdvertisements_rfc5798_6_4_2() {
    // Our interval is 1 s; keepalived's capture V4 advertises 10 cs.
    VrrpElection e = multicastElection(N2, 100);
    transport.deliver(keepalived(V4_MULTICAST_PRIO150_10CS, N1, GROUP, 255));
    Duration mdi = VrrpElection.masterDownInterval(100, Duration.ofMillis(100));
    clock.advanceBy(mdi.minusNanos(1));
    assertEquals(Role.BACKUP, e.role());
    clock.advanceBy(Duration.ofNanos(1));
    assertEquals(Role.MASTER, e.role(), "master-down interval from the advertised 10 cs: " + mdi);
  }

  @Test
  void priorityZeroFromTheMasterLetsTheBackupTakeOverAfterSkewTime_rfc5798_6_4_2() {
    VrrpElection e = multicastElection(N2, 100);
    transport.deliver(keepalived(V1_MULTICAST_PRIO150_100CS, N1, GROUP, 255));
    transport.deliver(keepalived(V2_MULTICAST_PRIO0_100CS, N1, GROUP, 255));
    Duration skew = VrrpElection.skewTime(100, Duration.ofSeconds(1));
    clock.advanceBy(skew.minusNanos(1));
    assertEquals(Role.BACKUP, e.role());
    clock.advanceBy(Duration.ofNanos(1));
    assertEquals(Role.MASTER, e.role());
  }

  @Test
  void higherPriorityAdvertisementMakesTheMasterStepDownWithoutAStepDownNotice() {
    VrrpElection e = multicastElection(N2, 100);
    clock.advanceBy(Duration.ofSeconds(4));
    assertEquals(Role.MASTER, e.role());
    int sent = transport.sent.size();
    transport.deliver(keepalived(V1_MULTICAST_PRIO150_100CS, N1, GROUP, 255));
    assertEquals(Role.BACKUP, e.role());
    assertEquals(sent, transport.sent.size(), "VRRP has no step-down notice: backups are silent");
  }

  @Test
  void equalPriorityTieGoesToTheNumericallyHigherPrimaryAddress_rfc5798_6_4_3() {
    // .10 > .9 as addresses, although "198.51.100.10" < "198.51.100.9" as text.
    InetAddress nine = ip("198.51.100.9");
    InetAddress ten = ip("198.51.100.10");
    VrrpElection e = multicastElection(nine, 150);
    clock.advanceBy(Duration.ofSeconds(4));
    assertEquals(Role.MASTER, e.role());
    transport.deliver(advert(150, 100, ten, GROUP, 255));
    assertEquals(Role.BACKUP, e.role(), "the sender's primary address is higher");

    Recording other = new Recording();
    HeartbeatConfig config = HeartbeatConfig.builder().groupId(51).nodeId(VrrpWireFormat.nodeId(ten)).priority(150)
        .key(1, new byte[16]).virtualAddress(VIP).destination(new InetSocketAddress(GROUP, 0)).build();
    VrrpElection high = new VrrpElection(config, VrrpWireFormat.of(config, ten, false), other, scheduler);
    high.start();
    clock.advanceBy(Duration.ofSeconds(4));
    assertEquals(Role.MASTER, high.role());
    other.deliver(advert(150, 100, nine, GROUP, 255));
    assertEquals(Role.MASTER, high.role(), "the sender's primary address is lower");
  }

  @Test
  void droppedAndCountedByReasonNeverActedUpon_rfc5798_7_1() {
    VrrpElection e = multicastElection(N2, 100);
    transport.deliver(advert(200, 100, N1, GROUP, 254)); // crossed a router
    ByteBuffer corrupt = advert(200, 100, N1, GROUP, 255);
    corrupt.put(20 + 2, (byte) 201); // priority changed after the checksum
    transport.deliver(corrupt);
    transport.deliver(advert(200, 100, N2, GROUP, 255)); // our own address
    transport.deliver(VrrpWireFormat.ipPacket(N1, GROUP, 255,
        VrrpCodec.encode(new VrrpAdvertisement(52, 200, 100, List.of(VIP.address())), N1, GROUP)));
    transport.deliver(ByteBuffer.wrap(new byte[] {0x45, 0, 0}));
    var stats = e.stats();
    assertEquals(1, stats.dropped(DropReason.BAD_TTL));
    assertEquals(1, stats.dropped(DropReason.BAD_CHECKSUM));
    assertEquals(1, stats.dropped(DropReason.OWN_NODE_ID));
    assertEquals(1, stats.dropped(DropReason.OTHER_GROUP));
    assertEquals(1, stats.dropped(DropReason.MALFORMED));
    assertEquals(0, stats.accepted());
    assertEquals(Role.BACKUP, e.role());
    clock.advanceBy(VrrpElection.masterDownInterval(100, Duration.ofSeconds(1)));
    assertEquals(Role.MASTER, e.role(), "none of them reset the master-down timer");
  }

  @Test
  void aDifferentVirtualAddressListIsCountedNotDropped_rfc5798_7_1() {
    VrrpElection e = multicastElection(N2, 100);
    transport.deliver(VrrpWireFormat.ipPacket(N1, GROUP, 255,
        VrrpCodec.encode(new VrrpAdvertisement(51, 150, 100, List.of(ip("198.51.100.101"))), N1, GROUP)));
    assertEquals(1, e.stats().vipMismatches());
    assertEquals(1, e.stats().accepted());
  }

  @Test
  void oldUnicastChecksumIsSentAndAcceptedOnlyWhenConfigured() throws VrrpFormatException {
    VrrpAdvertisement adv = new VrrpAdvertisement(51, 150, 100, List.of(VIP.address()));
    ByteBuffer old = VrrpCodec.encode(adv, N1, N2, true);
    VrrpWireFormat strict = new VrrpWireFormat(51, N2, List.of(VIP.address()), false);
    VrrpWireFormat lenient = new VrrpWireFormat(51, N2, List.of(VIP.address()), true);
    Datagram d = new Datagram(new InetSocketAddress(N1, 0), VrrpWireFormat.ipPacket(N1, N2, 255, old), 255, 0);
    assertEquals(DropReason.BAD_CHECKSUM,
        ((io.ha4j.heartbeat.AdvertisementCodec.Rejected) strict.decode(d)).reason());
    assertEquals(150,
        ((io.ha4j.heartbeat.AdvertisementCodec.Valid) lenient.decode(d)).advertisement().priority());
    assertEquals(1, strict.malformed().get(VrrpFormatException.Reason.BAD_CHECKSUM));
  }

  @Test
  void intervalMustBeWholeCentiseconds() {
    HeartbeatConfig config = HeartbeatConfig.builder().groupId(51).nodeId("198.51.100.1")
        .advertisementInterval(Duration.ofMillis(105)).key(1, new byte[16]).virtualAddress(VIP)
        .destination(new InetSocketAddress(GROUP, 0)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VrrpWireFormat.of(config, N1, false));
    assertEquals("advertisementInterval must be whole centiseconds in 10 ms .. 40.95 s for VRRPv3, was PT0.105S",
        e.getMessage());
  }

  @Test
  void destinationsMustBeOfThePrimaryAddressesFamily_rfc5798_5_2_3() {
    // IPv4 and IPv6 virtual routers are separate: one wire format, one family.
    HeartbeatConfig config = HeartbeatConfig.builder().groupId(51).nodeId("198.51.100.1").key(1, new byte[16])
        .virtualAddress(VIP).destination(new InetSocketAddress(VrrpCodec.group6(), 0)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VrrpWireFormat.of(config, N1, false));
    assertEquals("destination ff02:0:0:0:0:0:0:12 is not INET like the primary address 198.51.100.1 "
        + "(one VRRP router per family)", e.getMessage());
  }

  /** A keepalived capture's VRRP message as the raw socket delivers it: in its IPv4 packet. */
  static ByteBuffer keepalived(String vrrpHex, InetAddress source, InetAddress destination, int ttl) {
    return VrrpWireFormat.ipPacket(source, destination, ttl, ByteBuffer.wrap(HexFormat.of().parseHex(vrrpHex)));
  }

  static ByteBuffer advert(int priority, int centis, InetAddress source, InetAddress destination, int ttl) {
    VrrpAdvertisement adv = new VrrpAdvertisement(51, priority, centis, List.of(VIP.address()));
    return VrrpWireFormat.ipPacket(source, destination, ttl, VrrpCodec.encode(adv, source, destination));
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Records sent packets; {@link #deliver} plays the raw socket's receive thread. */
  final class Recording implements DatagramTransport {
    record Sent(InetSocketAddress destination, byte[] bytes) {}

    final List<Sent> sent = new ArrayList<>();
    private @Nullable Consumer<Datagram> receiver;

    @Override
    public void start(Consumer<Datagram> r) {
      receiver = r;
    }

    @Override
    public void send(InetSocketAddress destination, ByteBuffer payload) {
      byte[] b = new byte[payload.remaining()];
      payload.duplicate().get(b);
      sent.add(new Sent(destination, b));
    }

    String lastHex() {
      assertEquals(false, sent.isEmpty(), "nothing sent");
      return HexFormat.of().formatHex(sent.get(sent.size() - 1).bytes());
    }

    void deliver(ByteBuffer ipPacket) {
      Consumer<Datagram> r = Objects.requireNonNull(receiver, "not started");
      InetAddress source = ipPacket.remaining() >= 16 ? ip(ipPacket, 12) : N1;
      int ttl = ipPacket.remaining() >= 9 ? ipPacket.get(8) & 0xff : -1;
      Datagram d = new Datagram(new InetSocketAddress(source, 0), ipPacket, ttl, clock.nanoTime());
      scheduler.execute(() -> r.accept(d));
      clock.runDue();
    }

    private InetAddress ip(ByteBuffer b, int at) {
      byte[] raw = new byte[4];
      b.get(at, raw);
      try {
        return InetAddress.getByAddress(raw);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException(e);
      }
    }

    @Override
    public void close() {}
  }
}
