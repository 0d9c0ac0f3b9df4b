package io.ha4j.netlink.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.IntByReference;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An {@code AF_NETLINK} socket through JNA; see {@link io.ha4j.netlink.NetlinkSocket}. */
public final class LinuxNetlinkSocket {

  private static final Logger LOG = LoggerFactory.getLogger(LinuxNetlinkSocket.class);

  /** Receive buffer of at least this size; the kernel fills about one page per dump part. */
  public static final int MIN_RECEIVE_BUFFER = 32 * 1024;
  /** Largest datagram we accept; the kernel's netlink datagrams are far below. */
  private static final int MAX_DATAGRAM = 1 << 20;

  private final int fd;
  private final int portId;
  private final AtomicBoolean closed = new AtomicBoolean();
  private byte[] rx = new byte[MIN_RECEIVE_BUFFER];
  private long timeoutMicros = -1;

  private LinuxNetlinkSocket(int fd, int portId) {
    this.fd = fd;
    this.portId = portId;
  }

  /** Loads libc through JNA; throws a {@link LinkageError} or runtime exception if impossible. */
  public static void probe() {
    if (LinuxLibc.INSTANCE == null) {
      throw new IllegalStateException("libc did not load");
    }
  }

  /** Opens and binds a socket of netlink {@code protocol} in the calling thread's namespace. */
  public static LinuxNetlinkSocket open(int protocol, int receiveBuffer) {
    LinuxLibc c = LinuxLibc.INSTANCE;
    int fd;
    try {
      fd = c.socket(LinuxLibc.AF_NETLINK, LinuxLibc.SOCK_RAW | LinuxLibc.SOCK_CLOEXEC, protocol);
    } catch (LastErrorException e) {
      throw io("socket(AF_NETLINK, " + protocol + ")", e);
    }
    try {
      int rcvbuf = Math.max(MIN_RECEIVE_BUFFER, receiveBuffer);
      // FORCE passes net.core.rmem_max with CAP_NET_ADMIN; without it the plain option is capped.
      if (!setInt(fd, LinuxLibc.SOL_SOCKET, LinuxLibc.SO_RCVBUFFORCE, rcvbuf)) {
        setInt(fd, LinuxLibc.SOL_SOCKET, LinuxLibc.SO_RCVBUF, rcvbuf);
      }
      setInt(fd, LinuxLibc.SOL_SOCKET, LinuxLibc.SO_SNDBUF, rcvbuf);
      // Older kernels lack these; errors then come without text and with the whole request.
      setInt(fd, LinuxLibc.SOL_NETLINK, LinuxLibc.NETLINK_EXT_ACK, 1);
      setInt(fd, LinuxLibc.SOL_NETLINK, LinuxLibc.NETLINK_CAP_ACK, 1);
      LinuxLibc.SockaddrNl local = new LinuxLibc.SockaddrNl();
      c.bind(fd, local, LinuxLibc.SockaddrNl.SIZE);
      LinuxLibc.SockaddrNl bound = new LinuxLibc.SockaddrNl();
      c.getsockname(fd, bound, new IntByReference(LinuxLibc.SockaddrNl.SIZE));
      LOG.debug("netlink socket fd={} protocol={} port id={}", fd, protocol, Integer.toUnsignedString(bound.nl_pid));
      return new LinuxNetlinkSocket(fd, bound.nl_pid);
    } catch (LastErrorException e) {
      closeQuietly(fd);
      throw io("bind netlink socket", e);
    }
  }

  /**
   * Moves the calling thread into the network namespace at {@code path}; used by {@link
   * io.ha4j.netlink.NetworkNamespace} on a thread of its own.
   */
  public static void enterNetworkNamespace(String path) {
    LinuxLibc c = LinuxLibc.INSTANCE;
    try {
      int nsfd = c.open(path, LinuxLibc.O_RDONLY | LinuxLibc.O_CLOEXEC);
      try {
        c.setns(nsfd, LinuxLibc.CLONE_NEWNET);
      } finally {
        closeQuietly(nsfd);
      }
    } catch (LastErrorException e) {
      throw io("enter network namespace " + path, e);
    }
  }

  public int portId() {
    return portId;
  }

  public void send(ByteBuffer datagram) {
    ensureOpen();
    byte[] b = new byte[datagram.remaining()];
    datagram.duplicate().get(b);
    LinuxLibc.SockaddrNl kernel = new LinuxLibc.SockaddrNl();
    while (true) {
      try {
        LinuxLibc.INSTANCE.sendto(fd, b, new NativeLong(b.length), 0, kernel, LinuxLibc.SockaddrNl.SIZE);
        return;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Netlink.EINTR) {
          throw io("sendto", e);
        }
      }
    }
  }

  /**
   * One whole datagram from the kernel. The datagram is first peeked with {@code MSG_TRUNC}, which
   * returns its real length, so the buffer grows to fit instead of the kernel truncating it.
   */
  public ByteBuffer receive(long timeoutMicros) {
    ensureOpen();
    setTimeout(Math.max(1, timeoutMicros));
    LinuxLibc c = LinuxLibc.INSTANCE;
    LinuxLibc.SockaddrNl from = new LinuxLibc.SockaddrNl();
    IntByReference fromLen = new IntByReference(LinuxLibc.SockaddrNl.SIZE);
    while (true) {
      try {
        int size = c.recvfrom(fd, rx, new NativeLong(rx.length), LinuxLibc.MSG_PEEK | LinuxLibc.MSG_TRUNC,
            from, fromLen).intValue();
        if (size > rx.length) {
          if (size > MAX_DATAGRAM) {
            // Drop it (a short read discards the rest of a datagram) so the next receive moves on.
            c.recvfrom(fd, rx, new NativeLong(rx.length), 0, from, fromLen);
            throw new NetlinkException(NetlinkException.Kind.PROTOCOL, Netlink.EMSGSIZE,
                "dropped a netlink datagram of " + size + " bytes", null, null);
          }
          rx = new byte[size];
        }
        int n = c.recvfrom(fd, rx, new NativeLong(rx.length), 0, from, fromLen).intValue();
        if (from.nl_pid != 0) {
          // Only the kernel talks to a request socket; anything else is ignored.
          LOG.debug("dropped datagram from netlink port {}", Integer.toUnsignedString(from.nl_pid));
          continue;
        }
        return ByteBuffer.wrap(Arrays.copyOf(rx, n)).order(ByteOrder.nativeOrder());
      } catch (LastErrorException e) {
        int errno = e.getErrorCode();
        if (errno == Netlink.EINTR) {
          continue;
        }
        if (errno == Netlink.EAGAIN) {
          throw new NetlinkException(NetlinkException.Kind.TIMEOUT, 0,
              "no netlink reply within " + timeoutMicros + " us", null, e);
        }
        if (errno == Netlink.ENOBUFS) {
          throw new NetlinkException(NetlinkException.Kind.OVERRUN, errno,
              "netlink receive queue overflowed, replies were lost", null, e);
        }
        throw io("recvfrom", e);
      }
    }
  }

  private void setTimeout(long micros) {
    if (micros == timeoutMicros) {
      return;
    }
    LinuxLibc.Timeval tv = new LinuxLibc.Timeval();
    tv.tv_sec = new NativeLong(micros / 1_000_000);
    tv.tv_usec = new NativeLong(micros % 1_000_000);
    tv.write();
    try {
      LinuxLibc.INSTANCE.setsockopt(fd, LinuxLibc.SOL_SOCKET, LinuxLibc.SO_RCVTIMEO, tv, tv.size());
    } catch (LastErrorException e) {
      throw io("setsockopt(SO_RCVTIMEO)", e);
    }
    timeoutMicros = micros;
  }

  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeQuietly(fd);
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new NetlinkException(NetlinkException.Kind.IO, 0, "netlink socket is closed", null, null);
    }
  }

  private static boolean setInt(int fd, int level, int name, int value) {
    try {
      LinuxLibc.INSTANCE.setsockopt(fd, level, name, new IntByReference(value), 4);
      return true;
    } catch (LastErrorException e) {
      LOG.debug("setsockopt({}, {}) failed: errno {}", level, name, e.getErrorCode());
      return false;
    }
  }

  private static void closeQuietly(int fd) {
    try {
      LinuxLibc.INSTANCE.close(fd);
    } catch (LastErrorException e) {
      LOG.debug("close({}) failed: errno {}", fd, e.getErrorCode());
    }
  }

  private static NetlinkException io(String what, LastErrorException e) {
    return new NetlinkException(NetlinkException.Kind.IO, e.getErrorCode(), what + " failed", null, e);
  }
}
