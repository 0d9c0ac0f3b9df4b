package io.ha4j.vip.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A NETLINK_ROUTE socket bound to multicast groups, only for receiving notifications. The netlink
 * core's socket binds without groups, so this small receive-only socket lives here; fold it into
 * the core once it can subscribe.
 */
public final class RouteMonitorSocket implements AutoCloseable {

  private static final int SOCKADDR_NL = 12;
  private static final int RECEIVE_BUFFER = 1 << 20;
  private static final int MAX_DATAGRAM = 1 << 16;

  private final int fd;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopped;
  private final byte[] rx = new byte[MAX_DATAGRAM];

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
      fd = c.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
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
      Libc.Timeval tv = new Libc.Timeval();
      tv.tv_sec = new NativeLong(pollMillis / 1000);
      tv.tv_usec = new NativeLong((pollMillis % 1000) * 1000L);
      c.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, tv.size());
      ByteBuffer nl = ByteBuffer.allocate(SOCKADDR_NL).order(ByteOrder.nativeOrder());
      nl.putShort((short) Libc.AF_NETLINK).putShort((short) 0).putInt(0).putInt(groups);
      c.bind(fd, nl.array(), SOCKADDR_NL);
      return fd;
    } catch (LastErrorException e) {
      try {
        c.close(fd);
      } catch (LastErrorException ignored) {
        // already failing
      }
      throw Errors.of("binding a rtnetlink notification socket", e);
    }
  }

  /** The outcome of one {@link #receive()}. */
  public enum Status { DATA, TIMEOUT, OVERRUN, CLOSED }

  /** Result of {@link #receive()}: a status and, for DATA, the datagram. */
  public record Received(Status status, @Nullable ByteBuffer datagram) {}

  /** Waits up to the poll interval for one datagram. */
  public Received receive() {
    if (stopped || closed.get()) {
      return new Received(Status.CLOSED, null);
    }
    try {
      long n = Libc.INSTANCE.recv(fd, rx, new NativeLong(rx.length), 0).longValue();
      byte[] copy = new byte[(int) n];
      System.arraycopy(rx, 0, copy, 0, copy.length);
      return new Received(Status.DATA, ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()));
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
        return new Received(stopped ? Status.CLOSED : Status.TIMEOUT, null);
      }
      if (errno == Libc.ENOBUFS) {
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
      try {
        Libc.INSTANCE.close(fd);
      } catch (LastErrorException e) {
        // released either way
      }
    }
  }

  /** Marks the socket closed so that the receiver stops at its next poll, without closing the descriptor under it. */
  public void stop() {
    stopped = true;
  }
}
