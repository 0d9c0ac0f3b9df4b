package io.ha4j.netlink.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The two calls of every request and reply, {@code sendto} and {@code recvfrom}, bound by JNA's
 * direct mapping: a native method per call instead of an interface proxy that converts its
 * arguments reflectively. Measured in the ip_vs VM, the proxy cost more than the syscall on a
 * pipelined apply of thousands of acks. The rest of libc stays in {@link LinuxLibc}.
 *
 * <p>{@code size_t} and {@code ssize_t} are Java {@code long}s (LP64, checked by {@link #probe()}):
 * a {@code NativeLong} result is built reflectively on every call, and the JDK generates a
 * constructor accessor on the sixteenth, which landed on a take-over's RTM_NEWADDR.
 */
final class LinuxSocketCalls {

  static {
    Native.register("c");
  }

  private LinuxSocketCalls() {}

  /**
   * Loads the binding; throws a {@link LinkageError} if it cannot be made, or an {@link
   * UnsupportedOperationException} where C's {@code long} is not 64 bits.
   */
  static void probe() {
    if (Native.LONG_SIZE != 8) {
      throw new UnsupportedOperationException("needs a 64-bit (LP64) libc, C long here is " + Native.LONG_SIZE + " bytes");
    }
  }

  static native long sendto(int fd, Pointer buffer, long length, int flags, Pointer to, int toLength)
      throws LastErrorException;

  static native long recvfrom(int fd, Pointer buffer, long length, int flags, Pointer from, Pointer fromLength)
      throws LastErrorException;
}
