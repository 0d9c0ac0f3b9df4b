package io.ha4j.vip.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * {@code sendto} for frames, bound by JNA's direct mapping when the class loads: the interface
 * proxy of {@link Libc} binds a function on its first call and converts arguments reflectively,
 * which put milliseconds between a take-over and its first gratuitous ARP. {@code size_t} and
 * {@code ssize_t} are Java {@code long}s (LP64, as the netlink core checks): a {@code NativeLong}
 * result would be built reflectively on every call.
 */
final class PacketCalls {

  static {
    Native.register("c");
  }

  private PacketCalls() {}

  static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] to, int toLength)
      throws LastErrorException;
}
