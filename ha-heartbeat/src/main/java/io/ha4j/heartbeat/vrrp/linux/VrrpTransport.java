package io.ha4j.heartbeat.vrrp.linux;

import static io.ha4j.heartbeat.linux.internal.NativeSockets.closeAfter;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.errno;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.isRetry;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.nat;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.setInt;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.setReceiveTimeout;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.unavailability;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.ha4j.api.AddressFamily;
import io.ha4j.api.Scheduler;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.heartbeat.internal.ReceiveThread;
import io.ha4j.heartbeat.vrrp.VrrpCodec;
import io.ha4j.heartbeat.vrrp.VrrpWireFormat;
import io.ha4j.linux.internal.Libc;
import io.ha4j.linux.internal.NativeDatagram;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VRRP packets (IP protocol 112) over a raw socket bound to one interface, for an election with a
 * {@link VrrpWireFormat}.
 *
 * <p>Sending: TTL / hop limit 255 for unicast and multicast (RFC 5798 section 5.1.1.3), IPv4 TOS
 * / IPv6 traffic class 0xc0 (as keepalived), multicast through the interface without loopback. The
 * kernel writes the IP header and picks the source address: the interface's primary address (for
 * IPv6 its link-local address for multicast), which must be the wire format's primary address,
 * since the VRRP checksum covers it.
 *
 * <p>Receiving: with {@code multicast} the socket joins 224.0.0.18 / ff02::12 on the interface;
 * unicast advertisements to the interface's addresses arrive anyway. Datagrams are whole IP
 * packets: for IPv4 the kernel's raw socket returns the real header, whose TTL is also reported as
 * {@link Datagram#ttl()}; for IPv6, which returns no header, {@code recvmsg} with {@code
 * IPV6_RECVHOPLIMIT} and {@code IPV6_RECVPKTINFO} gives the hop limit and destination, from which
 * the fixed header is rebuilt ({@link VrrpWireFormat#ipPacket}). One daemon thread blocks in the
 * socket (waking every 250 ms to notice {@link #close()}) and hands each datagram to the receiver
 * on that thread (the election's screens it there and queues it for its {@link Scheduler}). A failing receive is counted and logged, never thrown.
 */
public final class VrrpTransport implements DatagramTransport {

  private static final Logger LOG = LoggerFactory.getLogger(VrrpTransport.class);
  private static final int BUFFER = 2048;
  private static final int CONTROL = 256;

  private final int fd;
  private final AddressFamily family;
  private final String interfaceName;
  private final int interfaceIndex;
  private final Scheduler scheduler;
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong receiveErrors = new AtomicLong();
  private volatile boolean closed;
  private final ReceiveThread receiveThread;
  private final NativeDatagram out = new NativeDatagram(BUFFER);

  private VrrpTransport(int fd, AddressFamily family, String interfaceName, int interfaceIndex, Scheduler scheduler) {
    this.fd = fd;
    this.family = family;
    this.interfaceName = interfaceName;
    this.interfaceIndex = interfaceIndex;
    this.scheduler = scheduler;
    this.receiveThread = new ReceiveThread("ha4j-vrrp-rx-" + interfaceName);
  }

  /**
   * A raw VRRP socket of {@code family} on {@code interfaceName} in this process's network
   * namespace; with {@code multicast} it joins the VRRP group.
   */
  public static VrrpTransport open(String interfaceName, AddressFamily family, boolean multicast, Scheduler scheduler)
      throws IOException {
    return open(null, interfaceName, family, multicast, scheduler);
  }

  /**
   * As {@link #open(String, AddressFamily, boolean, Scheduler)}, inside network namespace {@code
   * netns} (a name under /run/netns or an absolute path; {@code null}: this process's): a
   * short-lived thread enters it with {@code setns} and opens the socket, which stays there.
   */
  public static VrrpTransport open(
      @Nullable String netns, String interfaceName, AddressFamily family, boolean multicast, Scheduler scheduler)
      throws IOException {
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(scheduler, "scheduler");
    ensureAvailability();
    if (netns == null) {
      return openHere(interfaceName, family, multicast, scheduler);
    }
    String path = NetworkNamespace.path(netns);
    try {
      return NetworkNamespace.call(path, () -> {
        try {
          return openHere(interfaceName, family, multicast, scheduler);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (NetlinkException e) {
      throw new IOException("entering network namespace " + path + ": " + e.getMessage(), e);
    }
  }

  private static VrrpTransport openHere(String name, AddressFamily family, boolean multicast, Scheduler scheduler)
      throws IOException {
    Libc c = Libc.INSTANCE;
    int index;
    try {
      index = c.if_nametoindex(name);
    } catch (LastErrorException e) {
      throw new IOException("no interface " + name + ": " + errno(e), e);
    }
    boolean v4 = family == AddressFamily.INET;
    int fd;
    try {
      fd = c.socket(v4 ? Libc.AF_INET : Libc.AF_INET6, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, VrrpCodec.IPPROTO_VRRP);
    } catch (LastErrorException e) {
      throw new IOException("cannot open a raw " + family + " socket for IP protocol 112 (needs CAP_NET_RAW): "
          + errno(e), e);
    }
    String step = "SO_BINDTODEVICE " + name;
    try {
      byte[] dev = Arrays.copyOf(name.getBytes(StandardCharsets.US_ASCII), name.length() + 1);
      c.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, dev, dev.length);
      step = "SO_RCVTIMEO";
      setReceiveTimeout(fd);
      if (v4) {
        step = "IP_TTL";
        setInt(fd, Libc.IPPROTO_IP, Libc.IP_TTL, 255);
        step = "IP_TOS";
        setInt(fd, Libc.IPPROTO_IP, Libc.IP_TOS, 0xc0);
        step = "IP_MULTICAST_TTL";
        setInt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_TTL, 255);
        step = "IP_MULTICAST_LOOP";
        setInt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_LOOP, 0);
        step = "IP_MULTICAST_IF";
        byte[] ifreq = ipMreqn(new byte[4], index);
        c.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_IF, ifreq, ifreq.length);
        if (multicast) {
          step = "IP_ADD_MEMBERSHIP 224.0.0.18";
          byte[] mreq = ipMreqn(VrrpCodec.group4().getAddress(), index);
          c.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_ADD_MEMBERSHIP, mreq, mreq.length);
        }
      } else {
        step = "IPV6_UNICAST_HOPS";
        setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_UNICAST_HOPS, 255);
        step = "IPV6_MULTICAST_HOPS";
        setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_HOPS, 255);
        step = "IPV6_MULTICAST_LOOP";
        setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_LOOP, 0);
        step = "IPV6_TCLASS";
        setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_TCLASS, 0xc0);
        step = "IPV6_MULTICAST_IF";
        setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_IF, index);
        step = "IPV6_RECVHOPLIMIT";
        setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVHOPLIMIT, 1);
        step = "IPV6_RECVPKTINFO";
        setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVPKTINFO, 1);
        if (multicast) {
          step = "IPV6_ADD_MEMBERSHIP ff02::12";
          byte[] mreq = nat(20).put(VrrpCodec.group6().getAddress()).putInt(index).array();
          c.setsockopt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_ADD_MEMBERSHIP, mreq, mreq.length);
        }
      }
    } catch (LastErrorException e) {
      c.close(fd);
      throw new IOException("raw VRRP socket on " + name + ": " + step + " failed: " + errno(e), e);
    }
    return new VrrpTransport(fd, family, name, index, scheduler);
  }

  /** The interface. */
  public String interfaceName() {
    return interfaceName;
  }

  /** Sends that failed (each is logged). */
  public long sendFailures() {
    return sendFailures.get();
  }

  /** Receive errors other than timeouts and the socket being closed. */
  public long receiveErrors() {
    return receiveErrors.get();
  }

  @Override
  public void start(Consumer<Datagram> receiver) {
    Objects.requireNonNull(receiver, "receiver");
    receiveThread.start(closed, () -> receiveLoop(receiver));
  }

  private void receiveLoop(Consumer<Datagram> receiver) {
    Memory buf = new Memory(BUFFER);
    // IPv6: struct msghdr (56 bytes on LP64) + sockaddr_in6 + iovec + data + control.
    Memory msg = new Memory(56 + 32 + 16 + BUFFER + CONTROL);
    while (!closed) {
      try {
        Datagram d = family == AddressFamily.INET ? receive4(buf) : receive6(msg);
        // On this thread: the election's receiver screens here and queues only what passes, bounded
        // (issue 16 item 5); the scheduler's own queue has no bound.
        receiver.accept(d);
      } catch (LastErrorException e) {
        if (closed) {
          return;
        }
        if (isRetry(e)) {
          continue; // SO_RCVTIMEO: look at the closed flag again
        }
        receiveErrors.incrementAndGet();
        LOG.warn("raw VRRP socket on {}: receive failed: {}", interfaceName, errno(e));
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        receiveErrors.incrementAndGet();
        LOG.warn("raw VRRP socket on {}: receive failed", interfaceName, e);
      }
    }
  }

  private Datagram receive4(Memory buf) {
    int n = (int) Libc.INSTANCE.recv(fd, buf, BUFFER, 0);
    long at = scheduler.clock().nanoTime();
    byte[] packet = buf.getByteArray(0, Math.max(0, n));
    if (n < 20) {
      // Not even an IPv4 header: the wire format counts it as truncated.
      return new Datagram(new InetSocketAddress(unspecified(), 0), ByteBuffer.wrap(packet), -1, at);
    }
    InetAddress source = address(Arrays.copyOfRange(packet, 12, 16));
    return new Datagram(new InetSocketAddress(source, 0), ByteBuffer.wrap(packet), packet[8] & 0xff, at);
  }

  private Datagram receive6(Memory msg) {
    long name = 56;
    long iov = name + 32;
    long data = iov + 16;
    long control = data + BUFFER;
    msg.clear();
    msg.setPointer(0, msg.share(name));
    msg.setInt(8, 28);
    msg.setPointer(16, msg.share(iov));
    msg.setLong(24, 1);
    msg.setPointer(32, msg.share(control));
    msg.setLong(40, CONTROL);
    msg.setPointer(iov, msg.share(data));
    msg.setLong(iov + 8, BUFFER);
    int n = (int) Libc.INSTANCE.recvmsg(fd, msg, 0);
    long at = scheduler.clock().nanoTime();
    InetAddress source = address(msg.getByteArray(name + 8, 16));
    byte[] message = msg.getByteArray(data, n);
    int hopLimit = -1;
    byte @Nullable [] destination = null;
    long controlLength = msg.getLong(40);
    for (long off = 0; off + 16 <= controlLength; ) {
      long len = msg.getLong(control + off);
      int level = msg.getInt(control + off + 8);
      int type = msg.getInt(control + off + 12);
      if (len < 16) {
        break;
      }
      if (level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_HOPLIMIT && len >= 20) {
        hopLimit = msg.getInt(control + off + 16);
      } else if (level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_PKTINFO && len >= 32) {
        destination = msg.getByteArray(control + off + 16, 16);
      }
      off += (len + 7) & ~7L;
    }
    if (destination == null || hopLimit < 0) {
      // Without them neither the checksum nor the hop limit can be checked: report ttl 0 (dropped).
      LOG.debug("raw VRRP socket on {}: no IPV6_PKTINFO/IPV6_HOPLIMIT from {}", interfaceName, source);
      hopLimit = 0;
      if (destination == null) {
        destination = VrrpCodec.group6().getAddress();
      }
    }
    ByteBuffer packet = VrrpWireFormat.ipPacket(source, address(destination), hopLimit, ByteBuffer.wrap(message));
    return new Datagram(new InetSocketAddress(source, 0), packet, hopLimit, at);
  }

  @Override
  public void send(InetSocketAddress destination, ByteBuffer payload) {
    if (closed) {
      LOG.debug("raw VRRP socket on {}: closed, not sending to {}", interfaceName, destination);
      return;
    }
    InetAddress a = destination.getAddress();
    try {
      if (AddressFamily.of(a) != family) {
        throw new IllegalArgumentException(destination + " is not " + family);
      }
      byte[] to = family == AddressFamily.INET
          ? nat(16).putShort((short) Libc.AF_INET).putShort((short) 0).put(a.getAddress()).array()
          : nat(28).putShort((short) Libc.AF_INET6).putShort((short) 0).putInt(0).put(a.getAddress())
              .putInt(a.isLinkLocalAddress() || a.isMCLinkLocal() ? interfaceIndex : 0).array();
      out.sendto(fd, payload, to);
    } catch (LastErrorException e) {
      sendFailures.incrementAndGet();
      LOG.warn("raw VRRP socket on {}: sending to {} failed: {}", interfaceName, destination, errno(e));
    } catch (RuntimeException e) {
      sendFailures.incrementAndGet();
      LOG.warn("raw VRRP socket on {}: sending to {} failed: {}", interfaceName, destination, e.toString());
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closeAfter(receiveThread, fd, LOG, "raw VRRP socket on " + interfaceName);
  }

  @Override
  public String toString() {
    return "VrrpTransport[" + family + " " + interfaceName + "]";
  }

  // ---- availability (Netty's Epoll pattern) ------------------------------------------------

  /** Set to {@code true} to switch the native transport off. */
  public static final String DISABLE_PROPERTY = "io.ha4j.heartbeat.vrrp.noNative";

  private static final @Nullable Throwable UNAVAILABILITY_CAUSE = unavailability(DISABLE_PROPERTY);

  /** Whether raw VRRP sockets can be used here (Linux, JNA and libc loadable). */
  public static boolean isAvailable() {
    return UNAVAILABILITY_CAUSE == null;
  }

  /** Why {@link #isAvailable()} is false, or {@code null}. */
  public static @Nullable Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  /** Throws {@link UnsupportedOperationException} with the cause when not available. */
  public static void ensureAvailability() {
    Throwable cause = UNAVAILABILITY_CAUSE;
    if (cause != null) {
      throw new UnsupportedOperationException("raw VRRP sockets are not available: " + cause.getMessage(), cause);
    }
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** {@code struct ip_mreqn}: group, local address (any), interface index. */
  private static byte[] ipMreqn(byte[] group, int index) {
    return nat(12).put(group).putInt(0).putInt(index).array();
  }

  private static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static InetAddress unspecified() {
    return address(new byte[4]);
  }
}
