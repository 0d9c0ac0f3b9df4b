package io.ha4j.bench.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * The libc calls of {@link AdvertisementSniffer}, bound by JNA's direct mapping: a native method
 * per call, so the receive loop pays no reflective argument conversion between a packet's arrival
 * and its timestamp. {@code size_t} and {@code ssize_t} are Java {@code long}s (LP64, checked by
 * {@link #probe()}). A -1 return becomes a {@link LastErrorException} with errno.
 */
final class SnifferCalls {

  static final int AF_INET = 2;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVTIMEO = 20;
  static final int EINTR = 4;
  static final int EAGAIN = 11;

  static {
    Native.register("c");
  }

  private SnifferCalls() {}

  /** Loads the binding; throws a {@link LinkageError} or, where C's long is not 64 bits, an {@link UnsupportedOperationException}. */
  static void probe() {
    if (Native.LONG_SIZE != 8) {
      throw new UnsupportedOperationException("needs a 64-bit (LP64) libc, C long here is " + Native.LONG_SIZE + " bytes");
    }
  }

  static native int socket(int domain, int type, int protocol) throws LastErrorException;

  static native int setsockopt(int fd, int level, int name, byte[] value, int valueLength) throws LastErrorException;

  static native long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;
}
