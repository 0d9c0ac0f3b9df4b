package io.ha4j.heartbeat.witness.linux.internal;

import static io.ha4j.heartbeat.linux.internal.NativeSockets.nat;
import static io.ha4j.heartbeat.linux.internal.NativeSockets.setInt;

import com.sun.jna.LastErrorException;
import io.ha4j.heartbeat.linux.internal.SocketAddresses;
import io.ha4j.linux.Errno;
import io.ha4j.linux.internal.Libc;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The witness's TCP sockets as libc makes them: non-blocking, with the options chosen for a
 * connection whose only news is its end, and the RFC 2385 key per peer address.
 *
 * <p>Options: {@code TCP_NODELAY}, since messages are small and rare and Nagle would hold one
 * back for an ACK; keep-alive after 1 s idle every 1 s, 3 probes, and {@code TCP_USER_TIMEOUT} of
 * {@link #USER_TIMEOUT_MILLIS}, so that a connection to a host that rebooted or vanished ends with
 * {@code ETIMEDOUT} within seconds: a keyed socket drops the rebooted kernel's unsigned reset, so a
 * timeout is the only way it learns.
 */
public final class TcpSockets {

  /** How long unacknowledged data or keep-alive probes may go unanswered before the connection ends. */
  public static final int USER_TIMEOUT_MILLIS = 4000;

  /** {@code TCP_MD5SIG_MAXKEYLEN}. */
  public static final int MAX_KEY = 80;

  /** {@code struct tcp_md5sig}: a {@code sockaddr_storage}, flags, prefix length, key length, ifindex, key. */
  private static final int MD5SIG_SIZE = 128 + 1 + 1 + 2 + 4 + MAX_KEY;

  private TcpSockets() {}

  /** A non-blocking stream socket of {@code address}'s family. */
  public static int open(InetAddress address) {
    int family = address instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
    return Libc.INSTANCE.socket(family, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, Libc.IPPROTO_TCP);
  }

  /** The options of a witness connection (see the class comment). */
  public static void configureConnection(int fd) {
    setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1);
    setInt(fd, Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, 1);
    setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPIDLE, 1);
    setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPINTVL, 1);
    setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPCNT, 3);
    setInt(fd, Libc.IPPROTO_TCP, Libc.TCP_USER_TIMEOUT, USER_TIMEOUT_MILLIS);
  }

  /**
   * Signs and checks every segment exchanged with {@code peer} on {@code fd} with {@code key}
   * (RFC 2385): on a listening socket it applies to the connections it accepts from that address.
   */
  public static void md5Key(int fd, InetAddress peer, byte[] key) {
    if (key.length == 0 || key.length > MAX_KEY) {
      throw new IllegalArgumentException("a TCP-MD5 key has 1 to " + MAX_KEY + " bytes, not " + key.length);
    }
    byte[] address = SocketAddresses.sockaddr(new InetSocketAddress(peer, 0));
    ByteBuffer b = nat(MD5SIG_SIZE).put(address);
    b.position(128);
    b.put((byte) 0).put((byte) 0).putShort((short) key.length).putInt(0).put(key);
    Libc.INSTANCE.setsockopt(fd, Libc.IPPROTO_TCP, Libc.TCP_MD5SIG, b.array(), MD5SIG_SIZE);
  }

  /** Starts connecting; true if already connected, false if in progress (EINPROGRESS). */
  public static boolean connect(int fd, InetSocketAddress peer) {
    byte[] address = SocketAddresses.sockaddr(peer);
    try {
      Libc.INSTANCE.connect(fd, address, address.length);
      return true;
    } catch (LastErrorException e) {
      if (Errno.EINPROGRESS.is(e.getErrorCode())) {
        return false;
      }
      throw e;
    }
  }

  /** The socket's pending error ({@code SO_ERROR}), 0 if none; reading it clears it. */
  public static int pendingError(int fd) {
    int[] value = new int[1];
    int[] length = {4};
    Libc.INSTANCE.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ERROR, value, length);
    return value[0];
  }

  /** Binds {@code fd} to {@code address}, without listening. */
  public static void bind(int fd, InetSocketAddress address) {
    byte[] raw = SocketAddresses.sockaddr(address);
    Libc.INSTANCE.bind(fd, raw, raw.length);
  }

  /** Binds {@code fd} to {@code address} (with {@code SO_REUSEADDR}, for a restart) and listens. */
  public static void listen(int fd, InetSocketAddress address) {
    setInt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
    bind(fd, address);
    Libc.INSTANCE.listen(fd, 16);
  }

  /**
   * {@code fd} moved to a descriptor number above every other this process is likely to hold
   * (the original is closed), or {@code fd} itself where the limit on open files forbids it.
   *
   * <p>Why: when a process dies, its kernel closes its descriptors in ascending order but releases
   * the sockets from a last-in-first-out list, so the highest number goes first. The listener must
   * go before the witness connections: a backup that hears the connection's FIN probes at once, and
   * a keyed listener still in place drops the probe's unsigned SYN (seen: the probe timed out under
   * load, 96 ms after the kill, because the listener outlived the connection by more than 10 ms).
   */
  public static int highest(int fd) {
    for (int floor : new int[] {HIGH_DESCRIPTOR, HIGH_DESCRIPTOR / 4}) {
      try {
        int high = Libc.INSTANCE.fcntl(fd, Libc.F_DUPFD_CLOEXEC, floor);
        close(fd);
        return high;
      } catch (LastErrorException e) {
        // EINVAL or EMFILE: the limit on open files is lower; try a lower floor
      }
    }
    return fd;
  }

  /** The listener's descriptor number, at or above which a daemon's other descriptors are not expected. */
  static final int HIGH_DESCRIPTOR = 4000;

  /** The address {@code fd} is bound to. */
  public static InetSocketAddress localAddress(int fd) {
    byte[] bound = new byte[SocketAddresses.SOCKADDR];
    int[] length = {bound.length};
    Libc.INSTANCE.getsockname(fd, bound, length);
    return SocketAddresses.socketAddress(ByteBuffer.wrap(bound));
  }

  /** An accepted connection's descriptor and its peer, or null when none is waiting (EAGAIN). */
  public static @Nullable Accepted accept(int listener) {
    byte[] peer = new byte[SocketAddresses.SOCKADDR];
    int[] length = {peer.length};
    try {
      int fd = Libc.INSTANCE.accept4(listener, peer, length, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
      return new Accepted(fd, SocketAddresses.socketAddress(ByteBuffer.wrap(peer)));
    } catch (LastErrorException e) {
      if (Errno.EAGAIN.is(e.getErrorCode())) {
        return null;
      }
      throw e;
    }
  }

  /** Closes {@code fd} with a reset instead of FIN ({@code SO_LINGER} on, 0 s): a probe leaves nothing behind. */
  public static void abort(int fd) {
    try {
      ByteBuffer linger = nat(8).putInt(1).putInt(0);
      Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, linger.array(), 8);
    } catch (LastErrorException e) {
      // closing matters more than how
    }
    close(fd);
  }

  /** Closes {@code fd}, ignoring errors (the descriptor is released either way). */
  public static void close(int fd) {
    try {
      Libc.INSTANCE.close(fd);
    } catch (LastErrorException e) {
      // EINTR or EIO: Linux has released the descriptor anyway
    }
  }

  /** A connection accept returned. */
  public record Accepted(int fd, InetSocketAddress peer) {}
}
