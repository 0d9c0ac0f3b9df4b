package io.ha4j.netlink.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import io.ha4j.linux.Errno;
import io.ha4j.linux.internal.Libc;
import io.ha4j.linux.internal.NativeDatagram;
import io.ha4j.netlink.NetlinkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An {@code AF_NETLINK} socket through the libc binding; see {@link io.ha4j.netlink.NetlinkSocket}. */
public final class LinuxNetlinkSocket {

  private static final Logger LOG = LoggerFactory.getLogger(LinuxNetlinkSocket.class);

  /** Receive buffer of at least this size; the kernel fills about one page per dump part. */
  public static final int MIN_RECEIVE_BUFFER = 32 * 1024;
  /** Largest datagram we accept; the kernel's netlink datagrams are far below. */
  private static final int MAX_DATAGRAM = 1 << 20;

  /** The kernel's {@code sockaddr_nl}: AF_NETLINK, port id 0, no groups. */
  private static final byte[] KERNEL = ByteBuffer.allocate(Libc.SockaddrNl.SIZE).order(ByteOrder.nativeOrder())
      .putShort((short) Libc.AF_NETLINK).array();

  private final int fd;
  private final int portId;
  private final AtomicBoolean closed = new AtomicBoolean();
  // Native buffers reused by every call: JNA copies a Java array (all of it) in and out around
  // each call and builds a Structure reflectively, which cost more than the syscalls themselves
  // for small acks (most of a pipelined apply). The receive buffer holds the largest datagram we
  // accept, so one recvfrom with MSG_TRUNC both reads and sizes it; untouched pages cost nothing.
  private final Memory rx = new Memory(MAX_DATAGRAM);
  private final Memory from = new Memory(Libc.SockaddrNl.SIZE);
  private final Memory fromLength = new Memory(4);
  private final NativeDatagram tx = new NativeDatagram(16 * 1024);
  private long timeoutMicros = -1;

  private LinuxNetlinkSocket(int fd, int portId) {
    this.fd = fd;
    this.portId = portId;
  }

  /** Opens and binds a socket of netlink {@code protocol} in the calling thread's namespace. */
  public static LinuxNetlinkSocket open(int protocol, int receiveBuffer) {
    Libc c = Libc.INSTANCE;
    int fd;
    try {
      fd = c.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
    } catch (LastErrorException e) {
      throw io("socket(AF_NETLINK, " + protocol + ")", e);
    }
    try {
      int rcvbuf = Math.max(MIN_RECEIVE_BUFFER, receiveBuffer);
      // FORCE passes net.core.rmem_max with CAP_NET_ADMIN; without it the plain option is capped.
      if (!setInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, rcvbuf)) {
        setInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, rcvbuf);
      }
      setInt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, rcvbuf);
      // Older kernels lack these; errors then come without text and with the whole request.
      setInt(fd, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1);
      setInt(fd, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, 1);
      c.bind(fd, new Libc.SockaddrNl(), Libc.SockaddrNl.SIZE);
      Libc.SockaddrNl bound = new Libc.SockaddrNl();
      c.getsockname(fd, bound, new IntByReference(Libc.SockaddrNl.SIZE));
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
    Libc c = Libc.INSTANCE;
    try {
      int nsfd = c.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
      try {
        c.setns(nsfd, Libc.CLONE_NEWNET);
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
    while (true) {
      try {
        tx.sendto(fd, datagram, KERNEL);
        return;
      } catch (LastErrorException e) {
        if (!Errno.EINTR.is(e.getErrorCode())) {
          throw io("sendto", e);
        }
      }
    }
  }

  /**
   * One whole datagram from the kernel. {@code MSG_TRUNC} makes recvfrom return the datagram's real
   * length, so one larger than the buffer is recognised (and dropped) instead of read cut short.
   */
  public ByteBuffer receive(long timeoutMicros) {
    ensureOpen();
    setTimeout(Math.max(1, timeoutMicros));
    while (true) {
      try {
        fromLength.setInt(0, Libc.SockaddrNl.SIZE);
        int size = (int) Libc.INSTANCE.recvfrom(fd, rx, MAX_DATAGRAM, Libc.MSG_TRUNC, from, fromLength);
        if (size > MAX_DATAGRAM) {
          throw new NetlinkException(NetlinkException.Kind.PROTOCOL, Errno.EMSGSIZE.number(),
              "dropped a netlink datagram of " + size + " bytes", null, null);
        }
        int senderPort = from.getInt(4); // sockaddr_nl.nl_pid
        if (senderPort != 0) {
          // Only the kernel talks to a request socket; anything else is ignored.
          LOG.debug("dropped datagram from netlink port {}", Integer.toUnsignedString(senderPort));
          continue;
        }
        byte[] out = new byte[size];
        rx.read(0, out, 0, size);
        return ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
      } catch (LastErrorException e) {
        int errno = e.getErrorCode();
        if (Errno.EINTR.is(errno)) {
          continue;
        }
        if (Errno.EAGAIN.is(errno)) {
          throw new NetlinkException(NetlinkException.Kind.TIMEOUT, 0,
              "no netlink reply within " + timeoutMicros + " us", null, e);
        }
        if (Errno.ENOBUFS.is(errno)) {
          throw new NetlinkException(NetlinkException.Kind.OVERRUN, errno,
              "netlink receive queue overflowed, replies were lost", null, e);
        }
        throw io("recvfrom", e);
      }
    }
  }

  /**
   * Sets {@code SO_RCVTIMEO} unless the one set is already between 90% and 100% of {@code micros}:
   * callers pass the time left to a deadline, different on every call, and a setsockopt per
   * receive would double the syscalls of a pipelined apply. A receive so never waits longer than
   * asked, and at worst 10% less.
   */
  private void setTimeout(long micros) {
    if (timeoutMicros > 0 && timeoutMicros <= micros && timeoutMicros >= micros - micros / 10) {
      return;
    }
    Libc.Timeval tv = new Libc.Timeval(micros);
    try {
      Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, tv.size());
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
      Libc.INSTANCE.setsockopt(fd, level, name, new IntByReference(value), 4);
      return true;
    } catch (LastErrorException e) {
      LOG.debug("setsockopt({}, {}) failed: errno {}", level, name, e.getErrorCode());
      return false;
    }
  }

  private static void closeQuietly(int fd) {
    try {
      Libc.INSTANCE.close(fd);
    } catch (LastErrorException e) {
      LOG.debug("close({}) failed: errno {}", fd, e.getErrorCode());
    }
  }

  private static NetlinkException io(String what, LastErrorException e) {
    return new NetlinkException(NetlinkException.Kind.IO, e.getErrorCode(), what + " failed", null, e);
  }
}
