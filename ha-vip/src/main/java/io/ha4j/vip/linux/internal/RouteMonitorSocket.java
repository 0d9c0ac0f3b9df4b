package io.ha4j.vip.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import io.ha4j.linux.Errno;
import io.ha4j.linux.internal.Libc;
import io.ha4j.linux.internal.SocketFilter;
import io.ha4j.netlink.Netlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A NETLINK_ROUTE socket bound to multicast groups, only for receiving notifications. The netlink
 * core's socket binds without groups, so this small receive-only socket lives here; fold it into
 * the core once it can subscribe.
 */
public final class RouteMonitorSocket implements AutoCloseable, NotificationLoop.Source {

  private static final int RECEIVE_BUFFER = 1 << 20;
  private static final int MAX_DATAGRAM = 1 << 16;

  private final int fd;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopped;
  // Native, not a Java array, which JNA would copy whole in and out around every receive.
  private final Memory rx = new Memory(MAX_DATAGRAM);

  private RouteMonitorSocket(int fd) {
    this.fd = fd;
  }

  /** Opens a socket for {@code groups} (RTMGRP_* bits) in the calling thread's namespace. */
  public static RouteMonitorSocket open(int groups, int pollMillis) {
    return new RouteMonitorSocket(openFd(groups, pollMillis));
  }

  /** Opens a socket for {@code groups} in the namespace at {@code path}. */
  public static RouteMonitorSocket openIn(String path, int groups, int pollMillis) {
    return new RouteMonitorSocket(Errors.inNamespace(path, () -> openFd(groups, pollMillis)));
  }

  private static int openFd(int groups, int pollMillis) {
    Libc c = Libc.INSTANCE;
    int fd;
    try {
      fd = c.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Netlink.PROTOCOL_ROUTE);
    } catch (LastErrorException e) {
      throw Errors.of("socket(AF_NETLINK, NETLINK_ROUTE)", e);
    }
    try {
      try {
        // A burst of notifications (an interface with many addresses going down) must not overrun.
        c.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, new IntByReference(RECEIVE_BUFFER), 4);
      } catch (LastErrorException e) {
        c.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, new IntByReference(RECEIVE_BUFFER), 4);
      }
      Libc.Timeval tv = new Libc.Timeval(pollMillis * 1000L);
      c.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, tv.size());
      c.bind(fd, new Libc.SockaddrNl(groups), Libc.SockaddrNl.SIZE);
      return fd;
    } catch (LastErrorException e) {
      Errors.closeQuietly(fd);
      throw Errors.of("binding a rtnetlink notification socket", e);
    }
  }

  /** Offset of {@code nlmsg_pid} in {@code struct nlmsghdr}. */
  private static final int NLMSG_PID = 12;

  /**
   * Has the kernel drop the notifications that requests from netlink port {@code portId} caused
   * (rtnetlink puts the requester's port in their {@code nlmsg_pid}), with a socket filter, before
   * they wake the receive thread. An owner does not need to hear of its own changes, and the wake-up
   * came in the middle of a take-over: the thread, woken on the CPU that is adding the VIP, took it
   * over for 0.05-0.6 ms between the RTM_NEWADDR and its ack, before the gratuitous ARP (measured
   * on a 2-vCPU VM; keepalived reads its notifications on its one thread, later).
   *
   * @throws AddressException if the kernel refuses the filter
   */
  public void ignoreSender(int portId) {
    if (portId == 0) {
      throw new IllegalArgumentException("port 0 is the kernel's own");
    }
    // An absolute load reads big-endian; nlmsg_pid is in the host's order.
    int loaded = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(portId) : portId;
    try {
      new SocketFilter(4)
          .add(SocketFilter.LD_W_ABS, 0, 0, NLMSG_PID)
          .add(SocketFilter.JEQ_K, 0, 1, loaded) // ours: drop, else: skip to the accept
          .add(SocketFilter.RET_K, 0, 0, 0)
          .add(SocketFilter.RET_K, 0, 0, SocketFilter.WHOLE)
          .attach(fd);
    } catch (LastErrorException e) {
      throw Errors.of("attaching a socket filter to the rtnetlink notification socket", e);
    }
  }

  /** The outcome of one {@link #receive()}. */
  public enum Status { DATA, TIMEOUT, OVERRUN, CLOSED }

  /** Result of {@link #receive()}: a status and, for DATA, the datagram. */
  public record Received(Status status, @Nullable ByteBuffer datagram) {}

  /** Waits up to the poll interval for one datagram. */
  @Override
  public Received receive() {
    if (stopped || closed.get()) {
      return new Received(Status.CLOSED, null);
    }
    try {
      long n = Libc.INSTANCE.recv(fd, rx, MAX_DATAGRAM, 0);
      byte[] copy = rx.getByteArray(0, (int) n);
      return new Received(Status.DATA, ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()));
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      if (Errno.EAGAIN.is(errno) || Errno.EINTR.is(errno)) {
        return new Received(stopped ? Status.CLOSED : Status.TIMEOUT, null);
      }
      if (Errno.ENOBUFS.is(errno)) {
        return new Received(Status.OVERRUN, null);
      }
      if (stopped) {
        return new Received(Status.CLOSED, null);
      }
      throw Errors.of("receiving rtnetlink notifications", e);
    }
  }

  /** Closes the descriptor; call it from the receiving thread after it stopped, or at the end. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Errors.closeQuietly(fd);
    }
  }

  /** Marks the socket closed so that the receiver stops at its next poll, without closing the descriptor under it. */
  @Override
  public void stop() {
    stopped = true;
  }
}
