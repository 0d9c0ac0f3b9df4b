package io.ha4j.heartbeat.udp;

import io.ha4j.api.Scheduler;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.heartbeat.internal.ReceiveThread;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeat datagrams over a UDP socket: unicast to peers, or IPv4/IPv6 multicast on one
 * interface.
 *
 * <p>One daemon thread blocks on the socket and hands each datagram, stamped with the scheduler
 * clock's time of arrival, to the receiver on that thread: the election's receiver screens it there
 * and queues what passes for its scheduler, in order with its timers.
 *
 * <p>Hop limit (what RFC 5798 section 7.1 asks of VRRP, and what is done here): multicast is sent
 * with {@code IP_MULTICAST_TTL} 255 (for IPv6 Java maps it to {@code IPV6_MULTICAST_HOPS}), so a
 * receiver that can read the TTL sees 255 unless a router forwarded the packet. Unicast is sent
 * with the system's default TTL, because Java has no portable unicast TTL option. On receipt,
 * plain Java cannot read the TTL ({@code IP_RECVTTL} is not exposed), so this transport reports
 * {@code ttl = -1} and the election's TTL check does not apply; the HMAC over every packet and the
 * replay window are the protection. Transports that can read it (a raw socket) report it and the
 * election drops anything but 255.
 */
public final class UdpTransport implements DatagramTransport {

  private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);
  private static final int RECEIVE_BUFFER = 2048;

  private final DatagramChannel channel;
  private final Scheduler scheduler;
  private final InetSocketAddress localAddress;
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong receiveErrors = new AtomicLong();
  private volatile boolean closed;
  private final ReceiveThread receiveThread;

  private UdpTransport(DatagramChannel channel, Scheduler scheduler) throws IOException {
    this.channel = channel;
    this.scheduler = scheduler;
    this.localAddress = (InetSocketAddress) Objects.requireNonNull(channel.getLocalAddress(), "local address");
    this.receiveThread = new ReceiveThread("ha4j-heartbeat-rx-" + localAddress);
  }

  /**
   * A unicast transport bound to {@code bindAddress} (port 0 picks a free port; see {@link
   * #localAddress()}).
   */
  public static UdpTransport unicast(InetSocketAddress bindAddress, Scheduler scheduler) throws IOException {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(scheduler, "scheduler");
    DatagramChannel ch = DatagramChannel.open(family(bindAddress));
    try {
      ch.bind(bindAddress);
      return new UdpTransport(ch, scheduler);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw new IOException("cannot bind heartbeat socket to " + bindAddress + ": " + e.getMessage(), e);
    }
  }

  /**
   * A multicast transport for {@code group} (address and port) on {@code networkInterface}: it
   * binds to the group address and port (so that it only gets that group's datagrams, Linux
   * semantics), joins the group on the interface, and sends through the interface with TTL/hop
   * limit 255. Its own datagrams loop back; the election recognises and drops them.
   */
  public static UdpTransport multicast(
      InetSocketAddress group, NetworkInterface networkInterface, Scheduler scheduler) throws IOException {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(networkInterface, "networkInterface");
    Objects.requireNonNull(scheduler, "scheduler");
    if (!group.getAddress().isMulticastAddress()) {
      throw new IllegalArgumentException("group must be a multicast address, was " + group);
    }
    DatagramChannel ch = DatagramChannel.open(family(group));
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(scoped(group, networkInterface));
      ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, networkInterface);
      ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
      ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      ch.join(group.getAddress(), networkInterface);
      return new UdpTransport(ch, scheduler);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw new IOException("cannot open multicast heartbeat socket for " + group + " on "
          + networkInterface.getName() + ": " + e.getMessage(), e);
    }
  }

  /** Linux binds an IPv6 link-local (ff02::/16) group only with the interface as its scope. */
  private static InetSocketAddress scoped(InetSocketAddress group, NetworkInterface nif) throws IOException {
    if (group.getAddress() instanceof Inet6Address a6 && a6.getScopeId() == 0 && a6.getScopedInterface() == null) {
      return new InetSocketAddress(Inet6Address.getByAddress(null, a6.getAddress(), nif), group.getPort());
    }
    return group;
  }

  private static ProtocolFamily family(InetSocketAddress a) {
    return a.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
  }

  /** The address the socket is bound to. */
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  /** Sends that failed (each is logged). */
  public long sendFailures() {
    return sendFailures.get();
  }

  /** Receive errors other than the socket being closed. */
  public long receiveErrors() {
    return receiveErrors.get();
  }

  @Override
  public void start(Consumer<Datagram> receiver) {
    Objects.requireNonNull(receiver, "receiver");
    receiveThread.start(closed, () -> receiveLoop(receiver));
  }

  private void receiveLoop(Consumer<Datagram> receiver) {
    ByteBuffer buf = ByteBuffer.allocate(RECEIVE_BUFFER);
    while (!closed) {
      try {
        buf.clear();
        SocketAddress source = channel.receive(buf);
        long at = scheduler.clock().nanoTime();
        if (!(source instanceof InetSocketAddress from)) {
          continue;
        }
        buf.flip();
        ByteBuffer copy = ByteBuffer.allocate(buf.remaining()).put(buf).flip();
        Datagram d = new Datagram(from, copy, -1, at);
        // On this thread: the election's receiver screens here and queues only what passes, bounded
        // (issue 16 item 5); the scheduler's own queue has no bound.
        receiver.accept(d);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
        receiveErrors.incrementAndGet();
        LOG.warn("heartbeat socket {}: receive failed", localAddress, e);
      }
    }
  }

  @Override
  public void send(InetSocketAddress destination, ByteBuffer payload) {
    if (closed) {
      LOG.debug("heartbeat socket {}: closed, not sending to {}", localAddress, destination);
      return;
    }
    try {
      channel.send(payload, destination);
    } catch (IOException | RuntimeException e) {
      sendFailures.incrementAndGet();
      LOG.warn("heartbeat socket {}: sending to {} failed: {}", localAddress, destination, e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("heartbeat socket {}: close failed", localAddress, e);
    }
    receiveThread.join(1000);
  }

  @Override
  public String toString() {
    return "UdpTransport[" + localAddress + "]";
  }
}
