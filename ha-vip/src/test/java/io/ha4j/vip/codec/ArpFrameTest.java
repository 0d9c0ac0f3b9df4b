package io.ha4j.vip.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArpFrameTest {

  private static final Inet4Address VIP = inet4("198.51.100.100");
  private static final MacAddress N1 = MacAddress.parse("02:00:00:00:00:01");
  private static final MacAddress N2 = MacAddress.parse("02:00:00:00:00:02");

  private static Inet4Address inet4(String s) {
    try {
      return (Inet4Address) InetAddress.getByName(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] captured(String sectionPrefix) throws Exception {
    Map<String, List<Vectors.Captured>> all = Vectors.sections("garp.hex");
    return all.entrySet().stream()
        .filter(e -> e.getKey().startsWith(sectionPrefix))
        .findFirst()
        .orElseThrow()
        .getValue()
        .get(0)
        .bytes();
  }

  private static void assertSameFields(byte[] expected, byte[] actual) {
    ArpFrame e = ArpFrame.decode(ByteBuffer.wrap(expected));
    ArpFrame a = ArpFrame.decode(ByteBuffer.wrap(actual));
    assertEquals(e.destination(), a.destination(), "Ethernet destination");
    assertEquals(e.source(), a.source(), "Ethernet source");
    assertEquals(e.operation(), a.operation(), "ARP operation");
    assertEquals(e.senderHardware(), a.senderHardware(), "SHA");
    assertEquals(e.senderAddress(), a.senderAddress(), "SPA");
    assertEquals(e.targetHardware(), a.targetHardware(), "THA");
    assertEquals(e.targetAddress(), a.targetAddress(), "TPA");
    assertArrayEquals(expected, actual, "whole frame");
  }

  @Test
  void requestFormEqualsKeepalived227Capture_G1() throws Exception {
    assertSameFields(captured("G1 keepalived"), ArpFrame.gratuitous(ArpFrame.GratuitousKind.REQUEST, N1, VIP).toBytes());
  }

  @Test
  void requestFormEqualsArpingMinusUCapture_G2() throws Exception {
    assertSameFields(captured("G2 iputils-arping"), ArpFrame.gratuitous(ArpFrame.GratuitousKind.REQUEST, N2, VIP).toBytes());
  }

  @Test
  void replyFormEqualsArpingMinusACapture_G3() throws Exception {
    assertSameFields(captured("G3 iputils-arping"), ArpFrame.gratuitous(ArpFrame.GratuitousKind.REPLY, N2, VIP).toBytes());
  }

  @Test
  void decodeOfCaptureIsGratuitousAndRoundTrips_G1() throws Exception {
    byte[] frame = captured("G1 keepalived");
    ArpFrame f = ArpFrame.decode(ByteBuffer.wrap(frame));
    assertTrue(f.isGratuitous());
    assertEquals(MacAddress.BROADCAST, f.targetHardware());
    assertArrayEquals(frame, f.toBytes());
  }

  @Test
  void decodeIgnoresEthernetPaddingToSixtyBytes_IEEE8023MinimumFrame() throws Exception {
    byte[] frame = captured("G3 iputils-arping");
    byte[] padded = new byte[60];
    System.arraycopy(frame, 0, padded, 0, frame.length);
    assertEquals(ArpFrame.decode(ByteBuffer.wrap(frame)), ArpFrame.decode(ByteBuffer.wrap(padded)));
  }

  @Test
  void decodeRejectsNonArpAndShortFrames_RFC826() throws Exception {
    byte[] frame = captured("G1 keepalived");
    frame[12] = 0x08;
    frame[13] = 0x00;
    assertThrows(MalformedFrameException.class, () -> ArpFrame.decode(ByteBuffer.wrap(frame)));
    assertThrows(MalformedFrameException.class, () -> ArpFrame.decode(ByteBuffer.wrap(new byte[41])));
    byte[] badOp = captured("G1 keepalived");
    badOp[21] = 3;
    assertThrows(MalformedFrameException.class, () -> ArpFrame.decode(ByteBuffer.wrap(badOp)));
  }

  @Test
  void macAddressParsesAndPrints() {
    assertEquals("02:00:00:00:00:0a", MacAddress.parse("02-00-00-00-00-0A").toString());
    assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:00"));
    assertThrows(IllegalArgumentException.class, () -> new MacAddress(1L << 48));
  }
}
