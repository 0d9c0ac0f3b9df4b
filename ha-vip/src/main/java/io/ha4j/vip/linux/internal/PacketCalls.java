package io.ha4j.vip.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * {@code sendto} for frames, bound by JNA's direct mapping when the class loads: the interface
 * proxy of {@link Libc} binds a function on its first call and converts arguments reflectively,
 * which put milliseconds between a take-over and its first gratuitous ARP.
 */
final class PacketCalls {

  static {
    Native.register("c");
  }

  private PacketCalls() {}

  static native NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] to, int toLength)
      throws LastErrorException;
}
