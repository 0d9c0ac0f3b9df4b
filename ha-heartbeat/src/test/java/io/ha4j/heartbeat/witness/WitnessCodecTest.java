package io.ha4j.heartbeat.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class WitnessCodecTest {

  private static final HeartbeatKey KEY = new HeartbeatKey(3, "witness-secret-0123456789".getBytes(StandardCharsets.US_ASCII));
  private static final HeartbeatKey OTHER = new HeartbeatKey(4, "another-secret-0123456789".getBytes(StandardCharsets.US_ASCII));
  private final WitnessCodec codec = new WitnessCodec(7, 51, List.of(KEY));

  private static WitnessMessage hello() {
    byte[] nonce = new byte[16];
    Arrays.fill(nonce, (byte) 0x5a);
    return new WitnessMessage(false, NodeId.of("n1"), Role.MASTER, 42L << 20, nonce, WitnessMessage.NO_ECHO);
  }

  private DropReason rejected(ByteBuffer b) {
    return assertInstanceOf(WitnessCodec.Rejected.class, codec.decode(b)).reason();
  }

  @Test
  void helloAndGoodbyeRoundTripWithTheSigningKeyAndTheirLength() {
    WitnessMessage m = hello();
    ByteBuffer b = codec.encode(m);
    assertEquals(WitnessCodec.HEADER_BYTES + 2 + 32, b.remaining());
    WitnessCodec.Valid v = assertInstanceOf(WitnessCodec.Valid.class, codec.decode(b));
    assertEquals(m, v.message());
    assertEquals(3, v.keyId());
    WitnessMessage bye = new WitnessMessage(true, NodeId.of("n2"), Role.BACKUP, -1, m.echo(), m.nonce());
    assertEquals(bye, ((WitnessCodec.Valid) codec.decode(codec.encode(bye))).message());
    assertTrue(bye.echoes(m.nonce()));
    assertFalse(bye.echoes(WitnessMessage.NO_ECHO));
  }

  @Test
  void everyBitFlipIsRejected() {
    byte[] bytes = codec.encode(hello()).array();
    for (int i = 0; i < bytes.length * 8; i++) {
      byte[] copy = bytes.clone();
      copy[i / 8] ^= (byte) (1 << (i % 8));
      assertInstanceOf(WitnessCodec.Rejected.class, codec.decode(ByteBuffer.wrap(copy)), "bit " + i);
    }
  }

  @Test
  void foreignClusterGroupKeyAndVersionAreNamed() {
    assertEquals(DropReason.OTHER_CLUSTER, rejected(new WitnessCodec(8, 51, List.of(KEY)).encode(hello())));
    assertEquals(DropReason.OTHER_GROUP, rejected(new WitnessCodec(7, 52, List.of(KEY)).encode(hello())));
    assertEquals(DropReason.UNKNOWN_KEY, rejected(new WitnessCodec(7, 51, List.of(OTHER)).encode(hello())));
    HeartbeatKey sameIdOtherSecret = new HeartbeatKey(3, "a-third-secret-0123456789".getBytes(StandardCharsets.US_ASCII));
    assertEquals(DropReason.BAD_DIGEST, rejected(new WitnessCodec(7, 51, List.of(sameIdOtherSecret)).encode(hello())));
    ByteBuffer b = codec.encode(hello());
    b.put(4, (byte) 2);
    assertEquals(DropReason.UNSUPPORTED_VERSION, rejected(b));
    assertEquals(DropReason.MALFORMED, rejected(ByteBuffer.wrap(new byte[3])));
    ByteBuffer cut = codec.encode(hello());
    cut.limit(cut.limit() - 1);
    assertEquals(DropReason.MALFORMED, rejected(cut));
  }

  @Test
  void aCodecWithBothKeysOfARolloverAcceptsEither() {
    WitnessCodec both = new WitnessCodec(7, 51, List.of(OTHER, KEY));
    assertInstanceOf(WitnessCodec.Valid.class, both.decode(codec.encode(hello())));
    assertInstanceOf(WitnessCodec.Valid.class, codec.decode(new WitnessCodec(7, 51, List.of(KEY, OTHER)).encode(hello())));
  }

  @Property(tries = 2000)
  void randomBytesNeverThrowAndAreNeverValid(@ForAll @Size(max = 200) byte[] bytes) {
    assertInstanceOf(WitnessCodec.Rejected.class, codec.decode(ByteBuffer.wrap(bytes)));
  }

  @Test
  void randomBytesBehindAValidHeaderAreRejected() {
    Random r = new Random(17);
    byte[] valid = codec.encode(hello()).array();
    for (int i = 0; i < 10_000; i++) {
      byte[] b = Arrays.copyOf(valid, WitnessCodec.HEADER_BYTES + r.nextInt(80));
      for (int j = 16 + r.nextInt(8); j < b.length; j++) {
        b[j] = (byte) r.nextInt();
      }
      assertInstanceOf(WitnessCodec.Rejected.class, codec.decode(ByteBuffer.wrap(b)));
    }
  }
}
