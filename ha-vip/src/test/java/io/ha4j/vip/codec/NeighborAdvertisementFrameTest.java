package io.ha4j.vip.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NeighborAdvertisementFrameTest {

  private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:02");

  private static Inet6Address vip() throws Exception {
    return (Inet6Address) InetAddress.getByName("2001:db8::100");
  }

  @Test
  void unsolicitedAdvertisementHasTheFieldsOfRfc4861Section726() throws Exception {
    byte[] frame = NeighborAdvertisementFrame.unsolicited(MAC, vip(), false).toBytes();
    assertEquals(NeighborAdvertisementFrame.LENGTH, frame.length);
    String hex = HexFormat.of().formatHex(frame);
    assertEquals("333300000001", hex.substring(0, 12), "all-nodes multicast MAC, RFC 2464 section 7");
    assertEquals("86dd", hex.substring(24, 28));
    assertEquals("60000000" + "0020" + "3a" + "ff", hex.substring(28, 44), "v6, payload 32, ICMPv6, hop limit 255");
    assertEquals("ff020000000000000000000000000001", hex.substring(76, 108));
    assertEquals("88", hex.substring(108, 110), "type 136");
    assertEquals("20", hex.substring(116, 118), "only O set: unsolicited, override");
    assertEquals("0201" + "020000000002", hex.substring(156), "target link-layer address option");
  }

  @Test
  void checksumVerifiesAndRoundTrips_RFC4443Section23() throws Exception {
    NeighborAdvertisementFrame na = NeighborAdvertisementFrame.unsolicited(MAC, vip(), true);
    byte[] frame = na.toBytes();
    assertEquals(0, NeighborAdvertisementFrame.checksum(na.sourceAddress(), na.destinationAddress(), frame, 54, 32));
    NeighborAdvertisementFrame back = NeighborAdvertisementFrame.decode(ByteBuffer.wrap(frame));
    assertEquals(na, back);
    assertTrue(back.override());
    assertFalse(back.solicited());
    assertTrue(back.router());
  }

  @Test
  void checksumMatchesAHandComputedValue() throws Exception {
    // Pseudo-header + message summed by hand in 16-bit words for target 2001:db8::100, MAC 02:..:02, O flag:
    // src 2001+0db8+0100 = 0x2eb9, dst ff02+0001 = 0xff03, length 0x20, next header 0x3a,
    // message 0x8800 + 0x2000 + 0x2eb9 + 0x0201 + 0x0200 + 0x0002 = 0xdabc; total 0x208d2 -> folded 0x08d4 -> ~ = 0xf72b
    byte[] frame = NeighborAdvertisementFrame.unsolicited(MAC, vip(), false).toBytes();
    assertEquals(0xf7, frame[56] & 0xff);
    assertEquals(0x2b, frame[57] & 0xff);
  }

  @Test
  void corruptedFrameIsRejected() throws Exception {
    byte[] frame = NeighborAdvertisementFrame.unsolicited(MAC, vip(), false).toBytes();
    frame[80] ^= 1;
    assertThrows(MalformedFrameException.class, () -> NeighborAdvertisementFrame.decode(ByteBuffer.wrap(frame)));
  }
}
