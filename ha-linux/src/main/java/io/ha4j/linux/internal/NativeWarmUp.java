package io.ha4j.linux.internal;

import com.sun.jna.LastErrorException;
import io.ha4j.linux.LinuxNative;
import java.nio.ByteBuffer;

/**
 * Compiles the native send path before it is needed. A backup's first gratuitous ARP and first
 * advertisement as master go out right after its take-over; run cold, the one {@code sendto} of
 * ha4j ({@link NativeDatagram}) loaded its classes and ran interpreted, 0.1-1.3 ms of CPU on a
 * small VM while the clients turned to the new master. Every native send of ha4j (netlink requests,
 * frames, advertisements) goes through that one method, so one warm-up serves them all. Called by
 * the warm-up at start, not by the sockets.
 */
public final class NativeWarmUp {

  /** Rounds: above the JIT's compile threshold (200 calls). */
  private static final int ROUNDS = 300;
  /** About an advertisement's size. */
  private static final int LENGTH = 128;

  private NativeWarmUp() {}

  /**
   * Runs {@link NativeDatagram#sendto} often enough to compile it, against no socket (descriptor
   * -1, which the kernel refuses with EBADF before looking at the bytes): nothing is sent.
   *
   * @return false, doing nothing, where {@link LinuxNative} is not available
   */
  public static boolean sendPath() {
    if (!LinuxNative.isAvailable()) {
      return false;
    }
    NativeDatagram datagram = new NativeDatagram(LENGTH);
    ByteBuffer bytes = ByteBuffer.allocate(LENGTH);
    byte[] to = new byte[16]; // a sockaddr_in's size
    for (int i = 0; i < ROUNDS; i++) {
      try {
        datagram.sendto(-1, bytes, to);
      } catch (LastErrorException expected) {
        // EBADF: nothing was sent, which is the point
      }
    }
    return true;
  }
}
