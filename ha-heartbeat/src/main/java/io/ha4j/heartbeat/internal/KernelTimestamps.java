package io.ha4j.heartbeat.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's receive time of a datagram ({@code SO_TIMESTAMPNS}), turned into a reading of the
 * scheduler's monotonic clock.
 *
 * <p>RFC 5798 resets the Master_Down_Timer when an advertisement is received. A receive thread
 * that stamps the datagram when it gets to run adds its own wake-up (0.1 to 2 ms on a busy virtual
 * machine) to every fail-over; the kernel stamps the packet when it enters the stack.
 */
public final class KernelTimestamps {

  /** {@code SOL_SOCKET}. */
  public static final int SOL_SOCKET = 1;
  /** {@code SO_TIMESTAMPNS} (the "old", 64-bit {@code struct timespec} form), also the cmsg type. */
  public static final int SO_TIMESTAMPNS = 35;
  /** An age beyond which a kernel stamp is not believed (the wall clock was stepped meanwhile). */
  static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final int CMSG_HEADER = 16; // LP64: size_t cmsg_len, int cmsg_level, int cmsg_type
  private static final int TIMESPEC = 16; // LP64: time_t tv_sec, long tv_nsec

  private KernelTimestamps() {}

  /**
   * The {@code SCM_TIMESTAMPNS} of a {@code recvmsg} control buffer (LP64 layout, native byte
   * order), in nanoseconds since the epoch; empty if there is none or the buffer is malformed.
   */
  public static OptionalLong wallNanos(ByteBuffer control, int length) {
    ByteBuffer c = control.duplicate().order(ByteOrder.nativeOrder());
    int end = Math.min(length, c.limit());
    int off = 0;
    while (off + CMSG_HEADER <= end) {
      long len = c.getLong(off);
      if (len < CMSG_HEADER || off + len > end) {
        return OptionalLong.empty();
      }
      int level = c.getInt(off + 8);
      int type = c.getInt(off + 12);
      if (level == SOL_SOCKET && type == SO_TIMESTAMPNS && len >= CMSG_HEADER + TIMESPEC) {
        long sec = c.getLong(off + CMSG_HEADER);
        long nsec = c.getLong(off + CMSG_HEADER + 8);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
          return OptionalLong.empty();
        }
        return OptionalLong.of(sec * 1_000_000_000L + nsec);
      }
      off += (int) ((len + 7) & ~7L);
    }
    return OptionalLong.empty();
  }

  /**
   * The clock reading at which a datagram stamped {@code kernelWallNanos} arrived, given that the
   * wall clock reads {@code wallNowNanos} while the clock reads {@code clockNowNanos}: the clock
   * reading minus the datagram's age. An age below zero or above a second means the wall clock
   * moved (NTP step); then the datagram is taken as arriving now, as without a kernel stamp.
   */
  public static long toClock(long kernelWallNanos, long wallNowNanos, long clockNowNanos) {
    long age = wallNowNanos - kernelWallNanos;
    if (age < 0 || age > MAX_AGE_NANOS) {
      return clockNowNanos;
    }
    return clockNowNanos - age;
  }
}
