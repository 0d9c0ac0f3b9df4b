package io.ha4j.vip.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.netlink.NetlinkMessage;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Round trips of the pure codecs over random values. */
class CodecProperties {

  @Provide
  Arbitrary<byte[]> ipv4() {
    return Arbitraries.bytes().array(byte[].class).ofSize(4);
  }

  @Provide
  Arbitrary<byte[]> ipv6() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16);
  }

  @Provide
  Arbitrary<String> label() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(15);
  }

  @Property
  void ipv4AddressMessagesRoundTrip(@ForAll("ipv4") byte[] a, @ForAll @IntRange(max = 32) int prefix,
      @ForAll @IntRange(min = 1, max = 1 << 20) int index, @ForAll @IntRange(max = 0xffff) int flags,
      @ForAll("label") String label) throws Exception {
    AddressMessage m = AddressMessage.of(InetAddress.getByAddress(a), prefix, index, flags, label);
    assertEquals(m, AddressMessage.from(NetlinkMessage.parseAll(m.toMessage(Rtnetlink.RTM_NEWADDR, 0).build(1, 0)).get(0)));
  }

  @Property
  void ipv6AddressMessagesRoundTrip(@ForAll("ipv6") byte[] a, @ForAll @IntRange(max = 128) int prefix,
      @ForAll @IntRange(min = 1, max = 1 << 20) int index, @ForAll @IntRange(max = 0xffff) int flags) throws Exception {
    AddressMessage m = AddressMessage.of(Inet6Address.getByAddress(null, a, -1), prefix, index, flags, null);
    assertEquals(m, AddressMessage.from(NetlinkMessage.parseAll(m.toMessage(Rtnetlink.RTM_DELADDR, 0).build(1, 0)).get(0)));
  }

  @Property
  void gratuitousArpRoundTrips(@ForAll("ipv4") byte[] a, @ForAll @LongRange(max = 0xffff_ffff_ffffL) long mac,
      @ForAll ArpFrame.GratuitousKind kind) throws Exception {
    ArpFrame f = ArpFrame.gratuitous(kind, new MacAddress(mac), (Inet4Address) InetAddress.getByAddress(a));
    ArpFrame back = ArpFrame.decode(ByteBuffer.wrap(f.toBytes()));
    assertEquals(f, back);
    assertEquals(true, back.isGratuitous());
  }

  @Property
  void neighbourAdvertisementChecksumAlwaysVerifies_RFC4443Section23(@ForAll("ipv6") byte[] a,
      @ForAll @LongRange(max = 0xffff_ffff_ffffL) long mac, @ForAll boolean router) {
    NeighborAdvertisementFrame f = NeighborAdvertisementFrame.unsolicited(new MacAddress(mac),
        NeighborAdvertisementFrame.inet6(a), router);
    assertEquals(f, NeighborAdvertisementFrame.decode(ByteBuffer.wrap(f.toBytes())));
  }
}
