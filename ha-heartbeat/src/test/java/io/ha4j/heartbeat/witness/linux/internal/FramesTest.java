package io.ha4j.heartbeat.witness.linux.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FramesTest {

  @Property(tries = 200)
  void messagesKeepTheirBoundariesWhateverThePieces(@ForAll @Size(max = 8) List<@Size(max = 1024) byte[]> messages,
      @ForAll @IntRange(min = 1, max = 700) int piece) {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (byte[] m : messages) {
      wire.writeBytes(Frames.encode(ByteBuffer.wrap(m)));
    }
    byte[] all = wire.toByteArray();
    Frames frames = new Frames();
    List<byte[]> got = new ArrayList<>();
    for (int at = 0; at < all.length; at += piece) {
      ByteBuffer b = ByteBuffer.wrap(all, at, Math.min(piece, all.length - at));
      assertTrue(frames.feed(b, m -> got.add(bytes(m))));
      assertFalse(b.hasRemaining());
    }
    assertEquals(messages.size(), got.size());
    for (int i = 0; i < got.size(); i++) {
      assertArrayEquals(messages.get(i), got.get(i));
    }
  }

  @Test
  void anOversizedAnnouncementEndsTheStream() {
    Frames frames = new Frames();
    List<ByteBuffer> got = new ArrayList<>();
    assertFalse(frames.feed(ByteBuffer.wrap(new byte[] {0x04, 0x01, 1, 2, 3}), got::add));
    assertTrue(got.isEmpty());
  }

  @Test
  void anOversizedMessageIsNotSent() {
    assertThrows(IllegalArgumentException.class, () -> Frames.encode(ByteBuffer.allocate(1025)));
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
