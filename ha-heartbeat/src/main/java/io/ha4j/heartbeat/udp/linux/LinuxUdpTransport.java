package io.ha4j.heartbeat.udp.linux;

import static io.ha4j.heartbeat.linux.internal.NativeSockets.closeAfter;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.errno;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.isRetry;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.setInt;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.setReceiveTimeout;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.unavailability;
import static io.ha4j.heartbeat.linux.internal.SocketAddresses.sockaddr;
import static io.ha4j.heartbeat.linux.internal.SocketAddresses.socketAddress;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.ha4j.api.Scheduler;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.heartbeat.internal.KernelTimestamps;
import io.ha4j.heartbeat.internal.ReceiveThread;
import io.ha4j.heartbeat.linux.internal.SocketAddresses;
import io.ha4j.heartbeat.linux.internal.SourceFilter;
import io.ha4j.linux.internal.Libc;
import io.ha4j.linux.internal.NativeDatagram;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unicast heartbeat datagrams over a UDP socket opened through libc, each received datagram
 * stamped with the kernel's receive time ({@code SO_TIMESTAMPNS}) instead of the time its receive
 * thread got to run. The bytes on the wire are those of {@link io.ha4j.heartbeat.udp.UdpTransport},
 * so the two interoperate.
 *
 * <p>Why: the election's Master_Down_Timer runs from the advertisement's arrival (RFC 5798 section
 * 6.4.2). A thread woken by the packet runs 0.1 to 2 ms later on a busy machine, and that delay
 * was part of every fail-over. keepalived reads the clock after its own wake-up.
 *
 * <p>One daemon thread blocks in {@code recvmsg} (waking every 250 ms to notice {@link #close()})
 * and hands each datagram to the receiver on that thread (the election's screens and queues it for
 * its {@link Scheduler}). Failures are counted and logged, never thrown.
 * Like {@code UdpTransport}, it cannot read the TTL: datagrams report {@code ttl = -1}.
 */
public final class LinuxUdpTransport implements DatagramTransport {

  private static final Logger LOG = LoggerFactory.getLogger(LinuxUdpTransport.class);
  private static final int BUFFER = 2048;
  private static final int CONTROL = 64;
  private static final int SOCKADDR = SocketAddresses.SOCKADDR;
  private static final int MSGHDR = 56; // LP64 struct msghdr

  private final int fd;
  private final InetSocketAddress localAddress;
  private final Scheduler scheduler;
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong receiveErrors = new AtomicLong();
  private final AtomicLong withoutKernelStamp = new AtomicLong();
  private final ReceiveThread receiveThread;
  private final NativeDatagram out = new NativeDatagram(BUFFER);
  private volatile boolean closed;

  private LinuxUdpTransport(int fd, InetSocketAddress localAddress, Scheduler scheduler) {
    this.fd = fd;
    this.localAddress = localAddress;
    this.scheduler = scheduler;
    this.receiveThread = new ReceiveThread("ha4j-heartbeat-rx-" + localAddress);
  }

  /**
   * A unicast transport bound to {@code bindAddress} (port 0 picks a free port; see {@link
   * #localAddress()}).
   */
  public static LinuxUdpTransport unicast(InetSocketAddress bindAddress, Scheduler scheduler) throws IOException {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(scheduler, "scheduler");
    ensureAvailability();
    if (bindAddress.isUnresolved()) {
      throw new IOException("cannot bind heartbeat socket to unresolved " + bindAddress);
    }
    Libc c = Libc.INSTANCE;
    boolean v6 = bindAddress.getAddress() instanceof Inet6Address;
    int fd;
    try {
      fd = c.socket(v6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, Libc.IPPROTO_UDP);
    } catch (LastErrorException e) {
      throw new IOException("cannot open a UDP socket: " + errno(e), e);
    }
    String step = "SO_TIMESTAMPNS";
    try {
      setInt(fd, KernelTimestamps.SOL_SOCKET, KernelTimestamps.SO_TIMESTAMPNS, 1);
      step = "SO_RCVTIMEO";
      setReceiveTimeout(fd);
      step = "bind " + bindAddress;
      byte[] address = sockaddr(bindAddress);
      c.bind(fd, address, address.length);
      step = "getsockname";
      byte[] bound = new byte[SOCKADDR];
      int[] length = {bound.length};
      c.getsockname(fd, bound, length);
      return new LinuxUdpTransport(fd, socketAddress(ByteBuffer.wrap(bound)), scheduler);
    } catch (LastErrorException e) {
      c.close(fd);
      throw new IOException("cannot bind heartbeat socket to " + bindAddress + ": " + step + " failed: " + errno(e), e);
    }
  }

  /** The address the socket is bound to. */
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  /** Sends that failed (each is logged). */
  public long sendFailures() {
    return sendFailures.get();
  }

  /**
   * From now on the kernel delivers to this socket only datagrams from {@code sources}: the
   * unicast peers. Others are dropped before they are queued, and never wake the receive thread
   * (against a flood). For an IPv4 socket only; an IPv6 one is left as it is and returns false.
   *
   * @return whether the filter is attached
   * @throws IOException if the kernel refuses the filter
   */
  public boolean receiveOnlyFrom(Collection<? extends InetAddress> sources) throws IOException {
    if (!(localAddress.getAddress() instanceof Inet4Address)) {
      return false;
    }
    List<Inet4Address> v4 = new ArrayList<>();
    for (InetAddress a : sources) {
      if (!(a instanceof Inet4Address v) || a.isMulticastAddress()) {
        throw new IllegalArgumentException("a source filter takes unicast IPv4 peers, not " + a.getHostAddress());
      }
      v4.add(v);
    }
    SourceFilter.attach(fd, v4);
    return true;
  }

  /** Receive errors other than the socket being closed. */
  public long receiveErrors() {
    return receiveErrors.get();
  }

  /** Datagrams that came without a usable kernel timestamp and were stamped on receipt instead. */
  public long withoutKernelStamp() {
    return withoutKernelStamp.get();
  }

  @Override
  public void start(Consumer<Datagram> receiver) {
    Objects.requireNonNull(receiver, "receiver");
    // The first Instant.now() loads and links its classes: not between a datagram and its stamp.
    wallNanos();
    receiveThread.start(closed, () -> receiveLoop(receiver));
  }

  private static long wallNanos() {
    Instant wall = Instant.now();
    return wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
  }

  private void receiveLoop(Consumer<Datagram> receiver) {
    long name = MSGHDR;
    long iov = name + SOCKADDR + 4; // keeps the iovec 8-byte aligned
    long data = iov + 16;
    long control = data + BUFFER;
    Memory msg = new Memory(control + CONTROL);
    while (!closed) {
      try {
        msg.clear();
        msg.setPointer(0, msg.share(name));
        msg.setInt(8, SOCKADDR);
        msg.setPointer(16, msg.share(iov));
        msg.setLong(24, 1);
        msg.setPointer(32, msg.share(control));
        msg.setLong(40, CONTROL);
        msg.setPointer(iov, msg.share(data));
        msg.setLong(iov + 8, BUFFER);
        int n = (int) Libc.INSTANCE.recvmsg(fd, msg, 0);
        // The wall clock read between two clock readings: the stamp's age is measured from their
        // middle, so the conversion errs by half the (sub-microsecond) gap at most.
        long before = scheduler.clock().nanoTime();
        long wall = wallNanos();
        long now = scheduler.clock().nanoTime();
        int controlLength = (int) Math.min(CONTROL, msg.getLong(40));
        OptionalLong stamp = KernelTimestamps.wallNanos(msg.getByteBuffer(control, CONTROL), controlLength);
        long at = now;
        if (stamp.isPresent()) {
          at = Math.min(now, KernelTimestamps.toClock(stamp.getAsLong(), wall, before + (now - before) / 2));
        } else {
          withoutKernelStamp.incrementAndGet();
        }
        InetSocketAddress from = socketAddress(msg.getByteBuffer(name, SOCKADDR).order(ByteOrder.nativeOrder()));
        ByteBuffer payload = ByteBuffer.wrap(msg.getByteArray(data, Math.max(0, Math.min(n, BUFFER))));
        Datagram d = new Datagram(from, payload, -1, at);
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
        LOG.warn("heartbeat socket {}: receive failed: {}", localAddress, errno(e));
      } catch (RuntimeException e) {
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
      out.sendto(fd, payload, sockaddr(destination));
    } catch (LastErrorException e) {
      sendFailures.incrementAndGet();
      LOG.warn("heartbeat socket {}: sending to {} failed: {}", localAddress, destination, errno(e));
    } catch (RuntimeException e) {
      sendFailures.incrementAndGet();
      LOG.warn("heartbeat socket {}: sending to {} failed: {}", localAddress, destination, e.toString());
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
    closeAfter(receiveThread, fd, LOG, "heartbeat socket " + localAddress);
  }

  @Override
  public String toString() {
    return "LinuxUdpTransport[" + localAddress + "]";
  }

  // ---- availability -------------------------------------------------------------------------

  /** Set to {@code true} to switch the native transport off. */
  public static final String DISABLE_PROPERTY = "io.ha4j.heartbeat.udp.noNative";

  private static final @Nullable Throwable UNAVAILABILITY_CAUSE = unavailability(DISABLE_PROPERTY);

  /** Whether this transport can be used here (64-bit Linux, JNA and libc loadable). */
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
      throw new UnsupportedOperationException("the native UDP transport is not available: " + cause.getMessage(),
          cause);
    }
  }
}
