package io.ha4j.heartbeat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The wire format as documented in package-info.java ("Wire format, version 1"). */
class AdvertisementCodecTest {

  static final HeartbeatKey K1 = new HeartbeatKey(1, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  static final HeartbeatKey K2 = new HeartbeatKey(2, "fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

  static Advertisement ad(long seq) {
    return new Advertisement(0xCAFE0001, 7, NodeId.of("n1"), 150, Role.MASTER, Duration.ofMillis(1000),
        0x0102030405060708L, seq, new byte[32]);
  }

  @Test
  void roundTrip() {
    AdvertisementCodec c = new AdvertisementCodec(0xCAFE0001, 7, List.of(K1));
    Advertisement a = ad(42);
    var d = c.decode(c.encode(a));
    assertEquals(new AdvertisementCodec.Valid(a, 1), d);
  }

  @Test
  void layoutMatchesThePackageDocumentation() throws Exception {
    AdvertisementCodec c = new AdvertisementCodec(0xCAFE0001, 7, List.of(K1));
    ByteBuffer b = c.encode(ad(42));
    assertEquals(68 + 2 + 32, b.remaining(), "100 + n bytes");
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    String hex = HexFormat.of().formatHex(bytes, 0, 36);
    assertEquals("4841344a" + "01" + "01" + "07" + "02" + "cafe0001" + "96" + "02" + "0000" + "000003e8"
        + "0102030405060708" + "000000000000002a", hex);
    assertEquals("n1", new String(bytes, 68, 2, StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(K1.secret(), "HmacSHA256"));
    mac.update(bytes, 0, 70);
    assertArrayEquals(mac.doFinal(), java.util.Arrays.copyOfRange(bytes, 70, 102), "HMAC over bytes 0..67+n");
  }

  @Test
  void challengeAndResponseRoundTripAndMatchTheDocumentedLayout() throws Exception {
    AdvertisementCodec c = new AdvertisementCodec(0xCAFE0001, 7, List.of(K1));
    byte[] nonce = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    var response = new AdvertisementCodec.Proof(true, NodeId.of("peer"), nonce);
    ByteBuffer b = c.encode(ad(42), response);
    assertEquals(68 + 2 + 16 + 1 + 4 + 32, b.remaining(), "100 + n + 17 + m bytes");
    assertEquals(new AdvertisementCodec.Valid(ad(42), 1, response), c.decode(b));
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    assertEquals("02" + "00", HexFormat.of().formatHex(bytes, 14, 16), "kind 2 (response), reserved 0");
    assertEquals("00112233445566778899aabbccddeeff" + "04" + HexFormat.of().formatHex("peer".getBytes(StandardCharsets.UTF_8)),
        HexFormat.of().formatHex(bytes, 70, 91));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(K1.secret(), "HmacSHA256"));
    mac.update(bytes, 0, 91);
    assertArrayEquals(mac.doFinal(), java.util.Arrays.copyOfRange(bytes, 91, 123), "HMAC over everything before it");

    var challenge = new AdvertisementCodec.Proof(false, NodeId.of("peer"), nonce);
    ByteBuffer ch = c.encode(ad(0), challenge);
    assertEquals(1, ch.get(14), "kind 1 (challenge)");
    assertEquals(new AdvertisementCodec.Valid(ad(0), 1, challenge), c.decode(ch));
    // The kind decides the length: an advertisement's kind on a challenge's length is malformed.
    ByteBuffer wrongKind = copy(ch);
    wrongKind.put(14, (byte) 0);
    assertEquals(DropReason.MALFORMED, reason(c, wrongKind));
    ByteBuffer unknownKind = copy(ch);
    unknownKind.put(14, (byte) 3);
    assertEquals(DropReason.MALFORMED, reason(c, unknownKind));
    ByteBuffer noPeer = copy(ch);
    noPeer.put(70 + 16, (byte) 0);
    assertEquals(DropReason.MALFORMED, reason(c, noPeer));
    assertEquals(DropReason.MALFORMED, reason(c, ch.slice(0, ch.remaining() - 1)));
  }

  @Test
  void rejectsEachReason() {
    AdvertisementCodec c = new AdvertisementCodec(0xCAFE0001, 7, List.of(K1));
    ByteBuffer good = c.encode(ad(1));
    assertEquals(DropReason.MALFORMED, reason(c, ByteBuffer.allocate(0)));
    assertEquals(DropReason.MALFORMED, reason(c, good.slice(0, good.remaining() - 1)));
    ByteBuffer v2 = copy(good);
    v2.put(4, (byte) 2);
    assertEquals(DropReason.UNSUPPORTED_VERSION, reason(c, v2));
    ByteBuffer flipped = copy(good);
    flipped.put(30, (byte) (flipped.get(30) ^ 1));
    assertEquals(DropReason.BAD_DIGEST, reason(c, flipped));
    AdvertisementCodec otherCluster = new AdvertisementCodec(0xCAFE0002, 7, List.of(K1));
    assertEquals(DropReason.OTHER_CLUSTER, reason(otherCluster, good));
    AdvertisementCodec otherGroup = new AdvertisementCodec(0xCAFE0001, 8, List.of(K1));
    assertEquals(DropReason.OTHER_GROUP, reason(otherGroup, good));
    AdvertisementCodec otherKey = new AdvertisementCodec(0xCAFE0001, 7, List.of(K2));
    assertEquals(DropReason.UNKNOWN_KEY, reason(otherKey, good));
    AdvertisementCodec sameIdOtherSecret = new AdvertisementCodec(0xCAFE0001, 7,
        List.of(new HeartbeatKey(1, "another-secret-16".getBytes(StandardCharsets.US_ASCII))));
    assertEquals(DropReason.BAD_DIGEST, reason(sameIdOtherSecret, good));
    ByteBuffer reserved = copy(good);
    reserved.put(15, (byte) 1);
    assertEquals(DropReason.MALFORMED, reason(c, reserved));
  }

  @Test
  void rolloverAcceptsBothKeysAndSignsWithTheFirst() {
    AdvertisementCodec old = new AdvertisementCodec(0xCAFE0001, 7, List.of(K1));
    AdvertisementCodec rolling = new AdvertisementCodec(0xCAFE0001, 7, List.of(K2, K1));
    AdvertisementCodec next = new AdvertisementCodec(0xCAFE0001, 7, List.of(K2));
    assertInstanceOf(AdvertisementCodec.Valid.class, rolling.decode(old.encode(ad(1))));
    assertInstanceOf(AdvertisementCodec.Valid.class, rolling.decode(next.encode(ad(1))));
    assertEquals(2, rolling.encode(ad(1)).get(5), "signed with the first key");
    assertEquals(DropReason.UNKNOWN_KEY, reason(old, next.encode(ad(1))));
  }

  @Test
  void decodeLeavesTheBufferAlone() {
    AdvertisementCodec c = new AdvertisementCodec(0xCAFE0001, 7, List.of(K1));
    ByteBuffer b = c.encode(ad(1));
    int pos = b.position();
    int lim = b.limit();
    c.decode(b);
    assertEquals(pos, b.position());
    assertEquals(lim, b.limit());
  }

  @Test
  void vipDigestIgnoresOrderAndInterfaceNames() throws Exception {
    VirtualAddress a = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
    VirtualAddress b = VirtualAddress.of(InetAddress.getByName("2001:db8::100"), 64, "eth0");
    VirtualAddress a2 = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "veth1");
    assertArrayEquals(AdvertisementCodec.vipDigest(List.of(a, b)), AdvertisementCodec.vipDigest(List.of(b, a2)));
    assertEquals(32, AdvertisementCodec.vipDigest(Set.of()).length);
  }

  @Test
  void validationNamesTheField() {
    var e = assertThrows(IllegalArgumentException.class, () -> new HeartbeatKey(1, new byte[8]));
    assertEquals("secret of key 1 must be at least 16 bytes, was 8", e.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class,
        () -> new AdvertisementCodec(1, 7, List.of(K1, new HeartbeatKey(1, K2.secret()))));
    assertEquals("keys must have distinct ids, key id 1 twice", e2.getMessage());
  }

  private static DropReason reason(AdvertisementCodec c, ByteBuffer b) {
    return assertInstanceOf(AdvertisementCodec.Rejected.class, c.decode(b)).reason();
  }

  private static ByteBuffer copy(ByteBuffer b) {
    ByteBuffer c = ByteBuffer.allocate(b.remaining());
    c.put(b.duplicate()).flip();
    return c;
  }
}
