package io.ha4j.heartbeat.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.transport.Datagram;
import io.ha4j.heartbeat.Advertisement;
import io.ha4j.heartbeat.AdvertisementCodec;
import io.ha4j.heartbeat.DropReason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class VrrpWireFormatTest {

  static final InetAddress LL1 = ip("fe80::ff:fe00:1");
  static final InetAddress LL2 = ip("fe80::ff:fe00:2");
  static final InetAddress VIP6 = ip("2001:db8::100");
  final VrrpWireFormat six = new VrrpWireFormat(51, LL2, List.of(VIP6), false);

  @Test
  void ipv6AdvertisementFromTheLinkLocalSourceDecodes_rfc5798_5_1_2() {
    ByteBuffer msg = VrrpCodec.encode(new VrrpAdvertisement(51, 150, 10, List.of(VIP6)), LL1, VrrpCodec.group6());
    AdvertisementCodec.Decoded d = six.decode(datagram(VrrpWireFormat.ipPacket(LL1, VrrpCodec.group6(), 255, msg)));
    Advertisement ad = assertInstanceOf(AdvertisementCodec.Valid.class, d).advertisement();
    assertEquals(NodeId.of("fe80:0:0:0:0:ff:fe00:1"), ad.nodeId());
    assertEquals(150, ad.priority());
    assertEquals(Role.MASTER, ad.state());
    assertEquals(Duration.ofMillis(100), ad.interval());
  }

  @Test
  void hopLimitBelow255IsDropped_rfc5798_7_1() {
    ByteBuffer msg = VrrpCodec.encode(new VrrpAdvertisement(51, 150, 10, List.of(VIP6)), LL1, VrrpCodec.group6());
    assertEquals(DropReason.BAD_TTL, reason(six.decode(datagram(VrrpWireFormat.ipPacket(LL1, VrrpCodec.group6(), 254, msg)))));
  }

  @Test
  void anIpv4RouterWithTheSameVridIsAnotherGroup_rfc5798_5_2_3() {
    InetAddress src = ip("198.51.100.1");
    ByteBuffer msg = VrrpCodec.encode(new VrrpAdvertisement(51, 150, 10, List.of(ip("198.51.100.100"))), src,
        VrrpCodec.group4());
    assertEquals(DropReason.OTHER_GROUP, reason(six.decode(datagram(VrrpWireFormat.ipPacket(src, VrrpCodec.group4(), 255, msg)))));
  }

  @Test
  void aBackupStateAdvertisementIsNotSentAndPriorityZeroIs() {
    InetSocketAddress group = new InetSocketAddress(VrrpCodec.group6(), 0);
    Advertisement stepDown = new Advertisement(0, 51, NodeId.of("x"), 100, Role.BACKUP, Duration.ofMillis(100), 0, 0,
        new byte[32]);
    assertNull(six.encode(stepDown, group), "VRRP has no step-down notice");
    Advertisement leaving = new Advertisement(0, 51, NodeId.of("x"), 0, Role.INIT, Duration.ofMillis(100), 0, 0,
        new byte[32]);
    ByteBuffer b = six.encode(leaving, group);
    assertEquals(0, b.get(2), "priority 0");
  }

  @Property(tries = 2000)
  void anyBytesAreDroppedWithAReasonNeverThrown(@ForAll @Size(max = 120) byte[] bytes) {
    AdvertisementCodec.Decoded d = six.decode(datagram(ByteBuffer.wrap(bytes)));
    if (d instanceof AdvertisementCodec.Valid v) {
      throw new AssertionError("random bytes decoded to " + v);
    }
  }

  static DropReason reason(AdvertisementCodec.Decoded d) {
    return assertInstanceOf(AdvertisementCodec.Rejected.class, d).reason();
  }

  static Datagram datagram(ByteBuffer packet) {
    return new Datagram(new InetSocketAddress(LL1, 0), packet, 255, 0);
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
