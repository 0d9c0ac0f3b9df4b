package io.ha4j.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.ByteBuffer;

/**
 * The send path of every native socket in ha4j (netlink requests, gratuitous ARP frames, heartbeat
 * and VRRP advertisements): one datagram and its destination address copied into native memory
 * that the socket keeps, then {@code sendto}. JNA would copy a Java array in and out around the
 * call and build a native buffer for it each time; the one call site is also what {@link
 * NativeWarmUp#sendPath()} compiles ahead of a take-over.
 */
public final class NativeDatagram {

  /** Room for the largest address passed: {@code sockaddr_in6} (28 bytes). */
  private static final int ADDRESS_CAPACITY = 28;

  private final Memory address = new Memory(ADDRESS_CAPACITY);
  private Memory payload;

  /** A buffer for datagrams of up to {@code capacity} bytes; it grows for a larger one. */
  public NativeDatagram(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    payload = new Memory(capacity);
  }

  /**
   * Sends the remaining bytes of {@code datagram} (its position unchanged) to the socket address
   * {@code to} (a {@code sockaddr_*} in native byte order) on descriptor {@code fd}; safe to call
   * from several threads.
   *
   * @return the number of bytes sent
   * @throws LastErrorException with the errno when {@code sendto} fails
   */
  public synchronized long sendto(int fd, ByteBuffer datagram, byte[] to) throws LastErrorException {
    if (to.length > ADDRESS_CAPACITY) {
      throw new IllegalArgumentException("socket address of " + to.length + " bytes");
    }
    int length = datagram.remaining();
    if (length > payload.size()) {
      payload = new Memory(Math.max(length, 2 * payload.size()));
    }
    if (datagram.hasArray()) {
      payload.write(0, datagram.array(), datagram.arrayOffset() + datagram.position(), length);
    } else {
      payload.getByteBuffer(0, length).put(datagram.duplicate());
    }
    address.write(0, to, 0, to.length);
    return Libc.INSTANCE.sendto(fd, payload, length, 0, address, to.length);
  }
}
