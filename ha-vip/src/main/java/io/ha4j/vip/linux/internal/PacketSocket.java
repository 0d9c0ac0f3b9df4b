package io.ha4j.vip.linux.internal;

import com.sun.jna.LastErrorException;
import io.ha4j.api.address.AddressException;
import io.ha4j.linux.internal.Libc;
import io.ha4j.linux.internal.NativeDatagram;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A send-only {@code AF_PACKET}/{@code SOCK_RAW} socket for whole Ethernet frames (needs
 * CAP_NET_RAW). It is opened with protocol 0, so the kernel delivers no frames to it and nothing
 * piles up in its receive queue; the frame's own ethertype goes in {@code sll_protocol}.
 */
public final class PacketSocket implements AutoCloseable {

  private static final int SOCKADDR_LL = 20;
  /** An Ethernet frame of a 1500-byte MTU, header included: room for any announcement. */
  private static final int ETHERNET_MTU_FRAME = 1514;

  private final int fd;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final NativeDatagram out = new NativeDatagram(ETHERNET_MTU_FRAME);

  private PacketSocket(int fd) {
    this.fd = fd;
  }

  /** Opens a socket in the calling thread's namespace. */
  public static PacketSocket open() {
    return new PacketSocket(openFd());
  }

  /** Opens a socket in the namespace at {@code path}. */
  public static PacketSocket openIn(String path) {
    return new PacketSocket(Errors.inNamespace(path, PacketSocket::openFd));
  }

  private static int openFd() {
    try {
      return Libc.INSTANCE.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw Errors.of("socket(AF_PACKET, SOCK_RAW)", e);
    }
  }

  /** Sends {@code frame} (Ethernet header included) out of interface {@code index}. */
  public void send(int index, byte[] frame) {
    if (closed.get()) {
      throw new IllegalStateException("packet socket is closed");
    }
    byte[] sll = linkAddress(index, frame);
    try {
      long n = out.sendto(fd, ByteBuffer.wrap(frame), sll);
      if (n != frame.length) {
        throw new AddressException(AddressException.Reason.OTHER, 0, "sent " + n + " of " + frame.length + " bytes");
      }
    } catch (LastErrorException e) {
      throw Errors.of("sending a frame on interface " + index, e);
    }
  }

  /** The {@code struct sockaddr_ll} that sends {@code frame} out of interface {@code index}. */
  private static byte[] linkAddress(int index, byte[] frame) {
    if (frame.length < 14) {
      throw new IllegalArgumentException("frame must hold an Ethernet header, has " + frame.length + " bytes");
    }
    ByteBuffer sll = ByteBuffer.allocate(SOCKADDR_LL).order(ByteOrder.nativeOrder());
    sll.putShort((short) Libc.AF_PACKET);
    sll.put(frame[12]).put(frame[13]); // sll_protocol: the ethertype, in network order
    sll.putInt(index);
    sll.putShort((short) 0); // sll_hatype
    sll.put((byte) 0); // sll_pkttype
    sll.put((byte) 6); // sll_halen
    sll.put(frame, 0, 6); // sll_addr: the destination
    return sll.array();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Errors.closeQuietly(fd);
    }
  }
}
