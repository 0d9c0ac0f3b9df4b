package io.ha4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Packets built by hand after the IPv4 header of RFC 791 section 3.1 and the UDP header of RFC 768. */
class AdvertisementFilterTest {

  private static final Inet4Address N1 = v4("198.51.100.1");
  private static final Inet4Address N2 = v4("198.51.100.2");

  @Test
  void vrrpFromTheMasterIsKept() {
    assertTrue(AdvertisementFilter.vrrp(N1).test(packet(5, 112, N1, N2, vrrpPayload())));
  }

  @Test
  void vrrpFromAnotherSourceOrOfAnotherProtocolIsNot() {
    assertFalse(AdvertisementFilter.vrrp(N1).test(packet(5, 112, N2, N1, vrrpPayload())));
    assertFalse(AdvertisementFilter.vrrp(N1).test(packet(5, 17, N1, N2, udp(40000, 5405, 8))));
  }

  @Test
  void udpIsKeptByDestinationPortBehindTheHeaderLengthFromIhl() {
    AdvertisementFilter filter = AdvertisementFilter.udp(N1, 5405);
    assertTrue(filter.test(packet(5, 17, N1, N2, udp(40000, 5405, 8))));
    // IHL 6: a 4-byte option before the UDP header; the port is read behind it, not at byte 22.
    assertTrue(filter.test(packet(6, 17, N1, N2, udp(40000, 5405, 8))));
    assertFalse(filter.test(packet(6, 17, N1, N2, udp(5405, 7007, 8))));
    assertFalse(filter.test(packet(5, 17, N1, N2, udp(5405, 7007, 8))), "the source port is not the destination");
    assertFalse(filter.test(packet(5, 17, N2, N1, udp(40000, 5405, 8))));
  }

  @Test
  void truncatedOrMalformedPacketsAreNot() {
    AdvertisementFilter filter = AdvertisementFilter.udp(N1, 5405);
    ByteBuffer whole = packet(5, 17, N1, N2, udp(40000, 5405, 8));
    assertFalse(filter.test(whole.duplicate().limit(19)), "shorter than a header");
    assertFalse(filter.test(whole.duplicate().limit(23)), "UDP header cut before the destination port");
    ByteBuffer ihlTooSmall = whole.duplicate();
    ihlTooSmall.put(0, (byte) 0x44);
    assertFalse(filter.test(ihlTooSmall));
    ByteBuffer ihlBeyondPacket = packet(5, 112, N1, N2, new byte[0]);
    ihlBeyondPacket.put(0, (byte) 0x46);
    assertFalse(AdvertisementFilter.vrrp(N1).test(ihlBeyondPacket));
    ByteBuffer ipv6 = whole.duplicate();
    ipv6.put(0, (byte) 0x65);
    assertFalse(filter.test(ipv6));
    ByteBuffer laterFragment = packet(5, 17, N1, N2, udp(40000, 5405, 8));
    laterFragment.putShort(6, (short) 0x00b9); // fragment offset 185 x 8 bytes: no UDP header here
    assertFalse(filter.test(laterFragment));
  }

  @Test
  void readsFromThePositionAndLeavesTheBufferAsItWas() {
    ByteBuffer p = packet(5, 112, N1, N2, vrrpPayload());
    ByteBuffer shifted = ByteBuffer.allocate(p.remaining() + 3);
    shifted.position(3);
    shifted.put(p.duplicate());
    shifted.position(3);
    assertTrue(AdvertisementFilter.vrrp(N1).test(shifted));
    assertEquals(3, shifted.position());
  }

  @Test
  void udpNeedsAPortAndOthersNone() {
    assertThrows(IllegalArgumentException.class, () -> new AdvertisementFilter(N1, 17, 0));
    assertThrows(IllegalArgumentException.class, () -> new AdvertisementFilter(N1, 112, 5405));
    assertThrows(IllegalArgumentException.class, () -> new AdvertisementFilter(N1, 256, 0));
  }

  /** An IPv4 header of {@code ihl} 32-bit words (options zero-filled), then {@code payload}. */
  private static ByteBuffer packet(int ihl, int protocol, Inet4Address from, Inet4Address to, byte[] payload) {
    int headerLength = ihl * 4;
    ByteBuffer b = ByteBuffer.allocate(headerLength + payload.length);
    b.put((byte) (0x40 | ihl)).put((byte) 0xc0).putShort((short) (headerLength + payload.length));
    b.putShort((short) 0x1234).putShort((short) 0x4000); // DF, offset 0
    b.put((byte) 255).put((byte) protocol).putShort((short) 0);
    b.put(from.getAddress()).put(to.getAddress());
    b.position(headerLength);
    b.put(payload);
    return b.flip();
  }

  private static byte[] udp(int sourcePort, int destinationPort, int payloadLength) {
    ByteBuffer b = ByteBuffer.allocate(8 + payloadLength);
    b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payloadLength));
    return b.array();
  }

  private static byte[] vrrpPayload() {
    // VRRPv3 advertisement: version 3, type 1, VRID 51, priority 150, 1 address, interval 10 cs.
    return new byte[] {0x31, 51, (byte) 150, 1, 0, 10, 0, 0, (byte) 198, 51, 100, 100};
  }

  private static Inet4Address v4(String literal) {
    try {
      return (Inet4Address) InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
