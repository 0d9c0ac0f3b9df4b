package io.ha4j.netlink.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The two calls of every request and reply, {@code sendto} and {@code recvfrom}, bound by JNA's
 * direct mapping: a native method per call instead of an interface proxy that converts its
 * arguments reflectively. Measured in the ip_vs VM, the proxy cost more than the syscall on a
 * pipelined apply of thousands of acks. The rest of libc stays in {@link LinuxLibc}.
 */
final class LinuxSocketCalls {

  static {
    Native.register("c");
  }

  private LinuxSocketCalls() {}

  /** Loads the binding; throws a {@link LinkageError} if it cannot be made. */
  static void probe() {}

  static native NativeLong sendto(int fd, Pointer buffer, NativeLong length, int flags, Pointer to, int toLength)
      throws LastErrorException;

  static native NativeLong recvfrom(int fd, Pointer buffer, NativeLong length, int flags, Pointer from,
      Pointer fromLength) throws LastErrorException;
}
