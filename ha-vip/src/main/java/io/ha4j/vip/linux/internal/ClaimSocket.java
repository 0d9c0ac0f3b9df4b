package io.ha4j.vip.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.ha4j.linux.Errno;
import io.ha4j.linux.internal.Libc;
import io.ha4j.linux.internal.SocketFilter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A receive-only {@code AF_PACKET}/{@code SOCK_RAW} socket for the frames in which other hosts
 * claim addresses: ARP, or IPv6 neighbour advertisements, on every interface (needs CAP_NET_RAW). A socket bound to one ethertype hears only frames that
 * arrive, never those this host sends, and a socket filter keeps the rest of the ethertype (other
 * IPv6 traffic) in the kernel. The filter is attached before the socket is bound to its ethertype,
 * so no unfiltered frame is ever queued.
 */
public final class ClaimSocket implements AutoCloseable {

  /** Which frames a socket hears. */
  public enum Kind { ARP, NEIGHBOR_ADVERTISEMENT }

  private static final int ETH_P_ARP = 0x0806;
  private static final int ETH_P_IPV6 = 0x86dd;
  private static final int SOCKADDR_LL = 20;
  /** Room for an Ethernet frame of a 1500-byte MTU; claims are far shorter. */
  private static final int MAX_FRAME = 1514;

  private final int fd;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopped;
  private final Memory rx = new Memory(MAX_FRAME);
  private final Memory from = new Memory(SOCKADDR_LL);
  private final Memory fromLength = new Memory(4);

  private ClaimSocket(int fd) {
    this.fd = fd;
  }

  /** Opens a socket for {@code kind} in the calling thread's namespace, polling every {@code pollMillis}. */
  public static ClaimSocket open(Kind kind, int pollMillis) {
    return new ClaimSocket(openFd(kind, pollMillis));
  }

  /** Opens a socket for {@code kind} in the namespace at {@code path}. */
  public static ClaimSocket openIn(String path, Kind kind, int pollMillis) {
    return new ClaimSocket(Errors.inNamespace(path, () -> openFd(kind, pollMillis)));
  }

  private static int openFd(Kind kind, int pollMillis) {
    Libc c = Libc.INSTANCE;
    int fd;
    try {
      // Protocol 0: nothing is delivered until the bind below names the ethertype.
      fd = c.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw Errors.of("socket(AF_PACKET, SOCK_RAW)", e);
    }
    try {
      Libc.Timeval tv = new Libc.Timeval(pollMillis * 1000L);
      c.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, tv.size());
      filter(kind).attach(fd);
      byte[] sll = linkAddress(kind == Kind.ARP ? ETH_P_ARP : ETH_P_IPV6);
      c.bind(fd, sll, sll.length);
      return fd;
    } catch (LastErrorException e) {
      Errors.closeQuietly(fd);
      throw Errors.of("preparing a packet socket for " + kind, e);
    }
  }

  /** Offsets from the start of the Ethernet frame (SOCK_RAW filters see the link-layer header). */
  private static final int ARP_HTYPE_PTYPE = 14;
  private static final int IPV6_NEXT_HEADER = 14 + 6;
  private static final int ICMPV6_TYPE = 14 + 40;
  private static final int ETHERNET_IPV4 = 0x0001_0800;
  private static final int ICMPV6 = 58;
  private static final int ND_NEIGHBOR_ADVERT = 136;

  static SocketFilter filter(Kind kind) {
    if (kind == Kind.ARP) {
      return new SocketFilter(4)
          .add(SocketFilter.LD_W_ABS, 0, 0, ARP_HTYPE_PTYPE)
          .add(SocketFilter.JEQ_K, 0, 1, ETHERNET_IPV4)
          .add(SocketFilter.RET_K, 0, 0, SocketFilter.WHOLE)
          .add(SocketFilter.RET_K, 0, 0, 0);
    }
    // No extension header comes before ICMPv6 in a neighbour advertisement (RFC 4861 7.1.2 drops
    // those without hop limit 255 anyway, and senders put none).
    return new SocketFilter(6)
        .add(SocketFilter.LD_B_ABS, 0, 0, IPV6_NEXT_HEADER)
        .add(SocketFilter.JEQ_K, 0, 3, ICMPV6)
        .add(SocketFilter.LD_B_ABS, 0, 0, ICMPV6_TYPE)
        .add(SocketFilter.JEQ_K, 0, 1, ND_NEIGHBOR_ADVERT)
        .add(SocketFilter.RET_K, 0, 0, SocketFilter.WHOLE)
        .add(SocketFilter.RET_K, 0, 0, 0);
  }

  /** {@code struct sockaddr_ll} for every interface and {@code ethertype}. */
  private static byte[] linkAddress(int ethertype) {
    ByteBuffer sll = ByteBuffer.allocate(SOCKADDR_LL).order(ByteOrder.nativeOrder());
    sll.putShort((short) Libc.AF_PACKET);
    sll.put((byte) (ethertype >>> 8)).put((byte) ethertype); // sll_protocol, in network order
    sll.putInt(0); // sll_ifindex: any
    return sll.array();
  }

  /** A frame and the index of the interface it arrived on; a null frame means the poll timed out or the socket stopped. */
  public record Received(int index, @Nullable ByteBuffer frame) {}

  /** Waits up to the poll interval for one frame. */
  public Received receive() {
    if (stopped || closed.get()) {
      return new Received(0, null);
    }
    fromLength.setInt(0, SOCKADDR_LL);
    try {
      long n = Libc.INSTANCE.recvfrom(fd, rx, MAX_FRAME, 0, from, fromLength);
      int index = from.getInt(4); // sll_ifindex
      return new Received(index, ByteBuffer.wrap(rx.getByteArray(0, (int) n)));
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      if (Errno.EAGAIN.is(errno) || Errno.EINTR.is(errno) || stopped) {
        return new Received(0, null);
      }
      throw Errors.of("receiving a frame", e);
    }
  }

  /** Whether {@link #stop()} was called. */
  public boolean stopped() {
    return stopped;
  }

  /** Has the receiver stop at its next poll, without closing the descriptor under it. */
  public void stop() {
    stopped = true;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Errors.closeQuietly(fd);
    }
  }
}
