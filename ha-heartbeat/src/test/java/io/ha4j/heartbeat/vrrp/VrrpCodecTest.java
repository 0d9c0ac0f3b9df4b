package io.ha4j.heartbeat.vrrp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class VrrpCodecTest {

  /** One captured keepalived 2.2.7 advertisement with the fields tcpdump decoded from it. */
  record Capture(String name, InetAddress source, InetAddress destination, int vrid, int priority,
      int intervalCs, List<InetAddress> addresses, byte[] vrrp) {}

  private static final Pattern SUMMARY = Pattern.compile(
      "#\\s+(\\S+) > (\\S+): VRRPv3, Advertisement, vrid (\\d+), prio (\\d+), intvl (\\d+)cs, length \\d+, addrs: (.*)");

  static List<Capture> captures() throws IOException {
    List<Capture> out = new ArrayList<>();
    try (InputStream in = VrrpCodecTest.class.getResourceAsStream("/vectors/vrrp3-keepalived.hex")) {
      String name = "";
      Matcher m = null;
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.startsWith("## ")) {
          name = line.substring(3);
        }
        Matcher s = SUMMARY.matcher(line);
        if (s.matches()) {
          m = s;
        }
        if (line.startsWith("VRRP ") && m != null) {
          List<InetAddress> addrs = new ArrayList<>();
          for (String a : m.group(6).split(",\\s*")) {
            addrs.add(InetAddress.getByName(a.trim()));
          }
          out.add(new Capture(name, InetAddress.getByName(m.group(1)), InetAddress.getByName(m.group(2)),
              Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
              addrs, HexFormat.of().parseHex(line.substring(5).trim())));
          m = null;
        }
      }
    }
    return out;
  }

  @Test
  void everyKeepalivedCaptureDecodesToTheFieldsTcpdumpShows() throws Exception {
    // vectors/vrrp3-keepalived.hex: keepalived 2.2.7, multicast, unicast, priority 0, 10 cs interval
    List<Capture> caps = captures();
    assertEquals(4, caps.size(), "captures in the vector file");
    for (Capture c : caps) {
      VrrpAdvertisement adv = VrrpCodec.decode(ByteBuffer.wrap(c.vrrp()), c.source(), c.destination(), false);
      assertEquals(new VrrpAdvertisement(c.vrid(), c.priority(), c.intervalCs(), c.addresses()), adv, c.name());
    }
  }

  @Test
  void ourEncoderProducesKeepalivedsBytesForTheSameFields() throws Exception {
    for (Capture c : captures()) {
      VrrpAdvertisement adv = new VrrpAdvertisement(c.vrid(), c.priority(), c.intervalCs(), c.addresses());
      ByteBuffer ours = VrrpCodec.encode(adv, c.source(), c.destination());
      byte[] bytes = new byte[ours.remaining()];
      ours.get(bytes);
      assertArrayEquals(c.vrrp(), bytes, c.name());
    }
  }

  @Test
  void checksumCoversThePseudoHeaderNotTheMessageAlone() throws Exception {
    // RFC 5798 5.2.8 and the vector file's note: a message-only checksum does not match
    Capture c = captures().get(0);
    InetAddress other = InetAddress.getByName("198.51.100.9");
    var e = assertThrows(VrrpFormatException.class,
        () -> VrrpCodec.decode(ByteBuffer.wrap(c.vrrp()), other, c.destination(), false));
    assertEquals(VrrpFormatException.Reason.BAD_CHECKSUM, e.reason());
  }

  @Test
  void oldUnicastChecksumUsesTheGroupInThePseudoHeader() throws Exception {
    // keepalived.conf(5) old_unicast_checksum: pre-1.3 keepalived summed 224.0.0.18 for unicast
    InetAddress src = InetAddress.getByName("198.51.100.1");
    InetAddress peer = InetAddress.getByName("198.51.100.2");
    var adv = new VrrpAdvertisement(51, 150, 100, List.of(InetAddress.getByName("198.51.100.100")));
    ByteBuffer old = VrrpCodec.encode(adv, src, peer, true);
    ByteBuffer viaGroup = VrrpCodec.encode(adv, src, VrrpCodec.group4(), false);
    assertEquals(viaGroup, old, "same bytes as a multicast advert");
    assertThrows(VrrpFormatException.class, () -> VrrpCodec.decode(old.duplicate(), src, peer, false));
    assertEquals(adv, VrrpCodec.decode(old.duplicate(), src, peer, true));
  }

  @Test
  void truncatedAndWrongVersionAreTypedErrors() throws Exception {
    Capture c = captures().get(0);
    byte[] cut = java.util.Arrays.copyOf(c.vrrp(), 10);
    assertEquals(VrrpFormatException.Reason.TRUNCATED, assertThrows(VrrpFormatException.class,
        () -> VrrpCodec.decode(ByteBuffer.wrap(cut), c.source(), c.destination(), false)).reason());
    byte[] v2 = c.vrrp().clone();
    v2[0] = 0x21; // VRRPv2 (RFC 3768) is not spoken
    assertEquals(VrrpFormatException.Reason.BAD_VERSION, assertThrows(VrrpFormatException.class,
        () -> VrrpCodec.decode(ByteBuffer.wrap(v2), c.source(), c.destination(), false)).reason());
  }

  @Property(tries = 300)
  void ipv6RoundTripsAndAnyBitFlipIsRejected(
      @ForAll @IntRange(min = 1, max = 255) int vrid,
      @ForAll @IntRange(min = 0, max = 255) int prio,
      @ForAll @IntRange(min = 1, max = 4095) int interval,
      @ForAll @IntRange(min = 1, max = 4) int count,
      @ForAll @IntRange(min = 0, max = 10_000) int flip) throws Exception {
    // RFC 5798 5.2.8: IPv6 checksum over the RFC 2460 pseudo-header
    List<InetAddress> addrs = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      addrs.add(InetAddress.getByName("2001:db8::" + Integer.toHexString(0x100 + i)));
    }
    InetAddress src = InetAddress.getByName("fe80::1");
    var adv = new VrrpAdvertisement(vrid, prio, interval, addrs);
    ByteBuffer enc = VrrpCodec.encode(adv, src, VrrpCodec.group6());
    assertEquals(adv, VrrpCodec.decode(enc.duplicate(), src, VrrpCodec.group6(), false));
    byte[] bytes = new byte[enc.remaining()];
    enc.duplicate().get(bytes);
    int bit = flip % (bytes.length * 8);
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    boolean rejected;
    try {
      VrrpCodec.decode(ByteBuffer.wrap(bytes), src, VrrpCodec.group6(), false);
      rejected = false;
    } catch (VrrpFormatException e) {
      rejected = true;
    }
    assertTrue(rejected, "a single flipped bit must be caught by version, length or checksum");
  }
}
