package io.ha4j.heartbeat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The SCM_TIMESTAMPNS control message (socket(7), LP64 cmsghdr and struct timespec) and its conversion. */
class KernelTimestampsTest {

  private static ByteBuffer cmsg(int level, int type, long... longs) {
    ByteBuffer b = ByteBuffer.allocate(16 + 8 * longs.length).order(ByteOrder.nativeOrder());
    b.putLong(16 + 8L * longs.length).putInt(level).putInt(type);
    for (long l : longs) {
      b.putLong(l);
    }
    return b.flip();
  }

  @Test
  void readsTheTimespecOfScmTimestampnsAfterOtherControlMessages() {
    ByteBuffer other = cmsg(0, 8, 0x1234); // IP_PKTINFO-like, 24 bytes, aligned to 8
    ByteBuffer stamp = cmsg(1, 35, 1_795_636_563L, 444_508_123L);
    ByteBuffer control = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder()).put(other).put(stamp);
    int length = control.position();
    assertEquals(OptionalLong.of(1_795_636_563_444_508_123L), KernelTimestamps.wallNanos(control.flip(), length));
  }

  @Test
  void noStampATruncatedOrMalformedBufferGivesNothing() {
    assertEquals(OptionalLong.empty(), KernelTimestamps.wallNanos(cmsg(0, 8, 1), 24));
    assertEquals(OptionalLong.empty(), KernelTimestamps.wallNanos(cmsg(1, 35, 5, 6), 24), "cut inside the timespec");
    ByteBuffer zeroLength = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
    assertEquals(OptionalLong.empty(), KernelTimestamps.wallNanos(zeroLength, 32), "cmsg_len 0 must not loop");
    assertEquals(OptionalLong.empty(), KernelTimestamps.wallNanos(cmsg(1, 35, 5, 1_000_000_000L), 32),
        "tv_nsec out of range");
  }

  @Test
  void theArrivalIsTheClockReadingMinusTheDatagramsAge() {
    assertEquals(1_000 - 300, KernelTimestamps.toClock(9_700, 10_000, 1_000));
    // The wall clock stepped back or far forward meanwhile: taken as arriving now.
    assertEquals(1_000, KernelTimestamps.toClock(10_001, 10_000, 1_000));
    assertEquals(5_000_000_000L, KernelTimestamps.toClock(0, KernelTimestamps.MAX_AGE_NANOS + 1, 5_000_000_000L));
  }
}
