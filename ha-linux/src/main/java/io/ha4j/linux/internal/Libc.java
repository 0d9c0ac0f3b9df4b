package io.ha4j.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.util.Objects;

/**
 * The one JNA binding of libc in ha4j: every call the netlink core, the IPVS client, the VIP owner,
 * the heartbeat transports and the benchmarks make, with the constants and structures they pass.
 * Every call declares {@link LastErrorException}, so a -1 return turns into an exception carrying
 * {@code errno} (JNA reads it right after the call); {@link io.ha4j.linux.Errno} names it.
 *
 * <p>The one {@link #INSTANCE} is JNA's direct mapping ({@link Direct}), not an interface proxy
 * ({@code Native.load}): a proxy binds each function on its first call, which put milliseconds
 * between a take-over and its first gratuitous ARP, and converts every argument reflectively,
 * which cost more than the syscall on a pipelined apply of thousands of netlink acks.
 * {@code size_t} and {@code ssize_t} are Java {@code long}s: ha4j runs on LP64 Linux only
 * ({@link #probe()}), and a {@code NativeLong} would be built reflectively on every call (the JDK
 * spins a constructor accessor on the sixteenth, which once landed on a take-over's RTM_NEWADDR).
 * The calls of a hot path take {@link Pointer}s to native buffers their callers keep and reuse:
 * JNA copies a Java array in and out around every call, and writes and reads a {@link Structure}
 * reflectively, so arrays and structures are only for setting a socket up.
 */
public interface Libc extends Library {

  Libc INSTANCE = new Direct();

  // Address families, socket types and flags (bits/socket.h, linux/socket.h).
  int AF_INET = 2;
  int AF_INET6 = 10;
  int AF_NETLINK = 16;
  int AF_PACKET = 17;
  int SOCK_STREAM = 1;
  int SOCK_DGRAM = 2;
  int SOCK_RAW = 3;
  int SOCK_NONBLOCK = 0x800;
  int SOCK_CLOEXEC = 0x80000;
  /** send flag: no SIGPIPE when the peer has gone (EPIPE instead). */
  int MSG_NOSIGNAL = 0x4000;
  /** recv flag: return the datagram's real length even when it did not fit. */
  int MSG_TRUNC = 0x20;

  // Socket-level options (asm-generic/socket.h).
  int SOL_SOCKET = 1;
  int SO_REUSEADDR = 2;
  int SO_ERROR = 4;
  int SO_KEEPALIVE = 9;
  /** {@code struct linger}: on with 0 seconds, close sends a reset instead of FIN. */
  int SO_LINGER = 13;
  int SO_SNDBUF = 7;
  int SO_RCVBUF = 8;
  int SO_RCVTIMEO = 20;
  int SO_BINDTODEVICE = 25;
  int SO_ATTACH_FILTER = 26;
  /** {@code SO_RCVBUF} beyond {@code net.core.rmem_max}, with CAP_NET_ADMIN. */
  int SO_RCVBUFFORCE = 33;

  // Netlink socket options (linux/netlink.h).
  int SOL_NETLINK = 270;
  int NETLINK_CAP_ACK = 10;
  int NETLINK_EXT_ACK = 11;

  // TCP (linux/tcp.h).
  int IPPROTO_TCP = 6;
  int TCP_NODELAY = 1;
  int TCP_KEEPIDLE = 4;
  int TCP_KEEPINTVL = 5;
  int TCP_KEEPCNT = 6;
  /** {@code struct tcp_md5sig}: the RFC 2385 key for one peer address. */
  int TCP_MD5SIG = 14;
  int TCP_USER_TIMEOUT = 18;

  // poll (asm-generic/poll.h) and eventfd (sys/eventfd.h).
  short POLLIN = 0x1;
  short POLLOUT = 0x4;
  short POLLERR = 0x8;
  short POLLHUP = 0x10;
  short POLLNVAL = 0x20;
  int EFD_NONBLOCK = 0x800;
  int EFD_CLOEXEC = 0x80000;

  // IPv4 (linux/in.h).
  int IPPROTO_IP = 0;
  int IPPROTO_UDP = 17;
  int IP_TOS = 1;
  int IP_TTL = 2;
  int IP_MULTICAST_IF = 32;
  int IP_MULTICAST_TTL = 33;
  int IP_MULTICAST_LOOP = 34;
  int IP_ADD_MEMBERSHIP = 35;

  // IPv6 (linux/in6.h, linux/ipv6.h).
  int IPPROTO_IPV6 = 41;
  int IPV6_UNICAST_HOPS = 16;
  int IPV6_MULTICAST_IF = 17;
  int IPV6_MULTICAST_HOPS = 18;
  int IPV6_MULTICAST_LOOP = 19;
  int IPV6_ADD_MEMBERSHIP = 20;
  int IPV6_RECVPKTINFO = 49;
  int IPV6_PKTINFO = 50;
  int IPV6_RECVHOPLIMIT = 51;
  int IPV6_HOPLIMIT = 52;
  int IPV6_TCLASS = 67;

  /** fcntl: a copy of the descriptor at the lowest free number at or above the argument, close-on-exec. */
  int F_DUPFD_CLOEXEC = 1030;

  // Namespaces (fcntl.h, linux/sched.h).
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int CLONE_NEWNET = 0x40000000;
  /** unshare: a private copy of the descriptor table for the calling thread alone. */
  int CLONE_FILES = 0x400;

  /** {@code struct sockaddr_nl} ({@code linux/netlink.h}). */
  @Structure.FieldOrder({"nl_family", "nl_pad", "nl_pid", "nl_groups"})
  class SockaddrNl extends Structure {
    /** Size of the structure in bytes. */
    public static final int SIZE = 12;

    /** Address family: always AF_NETLINK. */
    public short nl_family = AF_NETLINK;
    /** Padding, zero. */
    public short nl_pad;
    /** Port id: 0 is the kernel; binding with 0 lets the kernel choose ours. */
    public int nl_pid;
    /** Multicast group bit mask; 0 for a request socket. */
    public int nl_groups;

    /** The kernel's address, or a local one to bind without groups. */
    public SockaddrNl() {}

    /** A local address that subscribes to the multicast {@code groups} (RTMGRP_* bits). */
    public SockaddrNl(int groups) {
      this.nl_groups = groups;
    }
  }

  /** {@code struct timeval} for {@code SO_RCVTIMEO}; 16 bytes on LP64. */
  @Structure.FieldOrder({"tv_sec", "tv_usec"})
  class Timeval extends Structure {
    /** Whole seconds ({@code time_t}, a C long). */
    public long tv_sec;
    /** Microseconds, 0..999999 ({@code suseconds_t}, a C long). */
    public long tv_usec;

    /** Zero: no timeout. */
    public Timeval() {}

    /** A time of {@code micros} microseconds. */
    public Timeval(long micros) {
      this.tv_sec = micros / 1_000_000;
      this.tv_usec = micros % 1_000_000;
    }
  }

  /**
   * Loads the binding; throws a {@link LinkageError} if JNA or libc cannot be loaded, or an {@link
   * UnsupportedOperationException} where C's {@code long} or a pointer is not 64 bits.
   */
  static void probe() {
    if (Native.LONG_SIZE != 8 || Native.POINTER_SIZE != 8) {
      throw new UnsupportedOperationException("needs a 64-bit (LP64) libc, C long here is " + Native.LONG_SIZE
          + " bytes and a pointer " + Native.POINTER_SIZE);
    }
    Objects.requireNonNull(INSTANCE, "libc");
  }

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int bind(int fd, SockaddrNl address, int addressLength) throws LastErrorException;

  /** Binds to a {@code sockaddr_in} or {@code sockaddr_in6} laid out by the caller. */
  int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

  int getsockname(int fd, SockaddrNl address, IntByReference addressLength) throws LastErrorException;

  /** The bound address as a {@code sockaddr_in} or {@code sockaddr_in6}; its length in and out. */
  int getsockname(int fd, byte[] address, int[] addressLength) throws LastErrorException;

  int setsockopt(int fd, int level, int name, IntByReference value, int valueLength) throws LastErrorException;

  int setsockopt(int fd, int level, int name, Timeval value, int valueLength) throws LastErrorException;

  /** An option that is itself a structure laid out by the caller ({@code ip_mreqn}, a device name). */
  int setsockopt(int fd, int level, int name, byte[] value, int valueLength) throws LastErrorException;

  /** An option that points to more native memory ({@code sock_fprog}), kept alive by the caller. */
  int setsockopt(int fd, int level, int name, Pointer value, int valueLength) throws LastErrorException;

  long sendto(int fd, Pointer buffer, long length, int flags, Pointer to, int toLength) throws LastErrorException;

  long send(int fd, Pointer buffer, long length, int flags) throws LastErrorException;

  /** Connects to a {@code sockaddr_in} or {@code sockaddr_in6}; EINPROGRESS on a non-blocking socket. */
  int connect(int fd, byte[] address, int addressLength) throws LastErrorException;

  int listen(int fd, int backlog) throws LastErrorException;

  /** Accepts with {@code flags} (SOCK_NONBLOCK, SOCK_CLOEXEC); the peer's address and its length in and out. */
  int accept4(int fd, byte[] address, int[] addressLength, int flags) throws LastErrorException;

  /** An int option such as {@code SO_ERROR}; its length in and out. */
  int getsockopt(int fd, int level, int name, int[] value, int[] valueLength) throws LastErrorException;

  /** Waits for events on {@code count} {@code struct pollfd}s (8 bytes each) in native memory. */
  int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

  int eventfd(int initial, int flags) throws LastErrorException;

  long read(int fd, Pointer buffer, long length) throws LastErrorException;

  long write(int fd, Pointer buffer, long length) throws LastErrorException;

  long recv(int fd, Pointer buffer, long length, int flags) throws LastErrorException;

  long recvfrom(int fd, Pointer buffer, long length, int flags, Pointer from, Pointer fromLength)
      throws LastErrorException;

  /** Receives into the buffers a {@code struct msghdr} (LP64 layout, 56 bytes) points to. */
  long recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int fcntl(int fd, int command, int argument) throws LastErrorException;

  int open(String path, int flags) throws LastErrorException;

  int setns(int fd, int nstype) throws LastErrorException;

  int unshare(int flags) throws LastErrorException;

  /** The index of interface {@code name}; throws with ENODEV when there is none. */
  int if_nametoindex(String name) throws LastErrorException;

  /**
   * The binding's implementation by JNA's direct mapping: every function is bound when this class
   * loads, and arguments of the declared types go to native code without a conversion per call.
   */
  final class Direct implements Libc {

    static {
      Native.register(Direct.class, "c");
    }

    private Direct() {}

    @Override
    public native int socket(int domain, int type, int protocol) throws LastErrorException;

    @Override
    public native int bind(int fd, SockaddrNl address, int addressLength) throws LastErrorException;

    @Override
    public native int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

    @Override
    public native int getsockname(int fd, SockaddrNl address, IntByReference addressLength)
        throws LastErrorException;

    @Override
    public native int getsockname(int fd, byte[] address, int[] addressLength) throws LastErrorException;

    @Override
    public native int setsockopt(int fd, int level, int name, IntByReference value, int valueLength)
        throws LastErrorException;

    @Override
    public native int setsockopt(int fd, int level, int name, Timeval value, int valueLength)
        throws LastErrorException;

    @Override
    public native int setsockopt(int fd, int level, int name, byte[] value, int valueLength)
        throws LastErrorException;

    @Override
    public native int setsockopt(int fd, int level, int name, Pointer value, int valueLength)
        throws LastErrorException;

    @Override
    public native long sendto(int fd, Pointer buffer, long length, int flags, Pointer to, int toLength)
        throws LastErrorException;

    @Override
    public native long send(int fd, Pointer buffer, long length, int flags) throws LastErrorException;

    @Override
    public native int connect(int fd, byte[] address, int addressLength) throws LastErrorException;

    @Override
    public native int listen(int fd, int backlog) throws LastErrorException;

    @Override
    public native int accept4(int fd, byte[] address, int[] addressLength, int flags) throws LastErrorException;

    @Override
    public native int getsockopt(int fd, int level, int name, int[] value, int[] valueLength)
        throws LastErrorException;

    @Override
    public native int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

    @Override
    public native int eventfd(int initial, int flags) throws LastErrorException;

    @Override
    public native long read(int fd, Pointer buffer, long length) throws LastErrorException;

    @Override
    public native long write(int fd, Pointer buffer, long length) throws LastErrorException;

    @Override
    public native long recv(int fd, Pointer buffer, long length, int flags) throws LastErrorException;

    @Override
    public native long recvfrom(int fd, Pointer buffer, long length, int flags, Pointer from, Pointer fromLength)
        throws LastErrorException;

    @Override
    public native long recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

    @Override
    public native int close(int fd) throws LastErrorException;

    @Override
    public native int fcntl(int fd, int command, int argument) throws LastErrorException;

    @Override
    public native int open(String path, int flags) throws LastErrorException;

    @Override
    public native int setns(int fd, int nstype) throws LastErrorException;

    @Override
    public native int unshare(int flags) throws LastErrorException;

    @Override
    public native int if_nametoindex(String name) throws LastErrorException;
  }
}
