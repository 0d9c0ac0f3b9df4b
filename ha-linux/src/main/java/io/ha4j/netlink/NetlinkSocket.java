package io.ha4j.netlink;

import io.ha4j.linux.LinuxNative;
import io.ha4j.netlink.linux.LinuxNetlinkSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Linux {@code AF_NETLINK} socket, bound and ready for requests to the kernel. The receive buffer
 * is at least 32 KiB (1 MiB asked), extended acks and capped acks are switched on, receives never
 * truncate (they read into a buffer of the largest datagram accepted, 1 MiB, and {@code MSG_TRUNC}
 * reports a larger one, which is dropped) and time out ({@code SO_RCVTIMEO}, possibly up to a tenth
 * before the time asked, never after).
 *
 * <p>Check {@link #unavailabilityCause()} before opening one where native code may be missing;
 * set the system property {@value #DISABLE_PROPERTY} to {@code true} to switch native code off.
 */
public final class NetlinkSocket implements NetlinkTransport {

  /** System property that, set to {@code true}, keeps ha4j from loading native code. */
  public static final String DISABLE_PROPERTY = "io.ha4j.netlink.noNative";
  /** The receive buffer asked for. */
  public static final int RECEIVE_BUFFER = 1 << 20;

  private static final @Nullable Throwable UNAVAILABILITY_CAUSE = computeCause();

  private final LinuxNetlinkSocket socket;

  private NetlinkSocket(LinuxNetlinkSocket socket) {
    this.socket = socket;
  }

  private static @Nullable Throwable computeCause() {
    if (Boolean.getBoolean(DISABLE_PROPERTY)) {
      return new UnsupportedOperationException(
          "native netlink disabled by system property " + DISABLE_PROPERTY);
    }
    return LinuxNative.unavailabilityCause();
  }

  /** Why netlink sockets cannot be opened here, or null if they can. */
  public static @Nullable Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  private static void ensureAvailable() {
    Throwable cause = UNAVAILABILITY_CAUSE;
    if (cause != null) {
      throw new NetlinkException(NetlinkException.Kind.UNAVAILABLE, 0,
          "netlink sockets unavailable: " + cause.getMessage(), null, cause);
    }
  }

  /** A socket of netlink {@code protocol} ({@link Netlink#PROTOCOL_GENERIC}, ...) in this process's namespace. */
  public static NetlinkSocket open(int protocol) {
    ensureAvailable();
    return new NetlinkSocket(LinuxNetlinkSocket.open(protocol, RECEIVE_BUFFER));
  }

  /**
   * A socket in the named network namespace {@code netns}: a name under {@code /run/netns} (as
   * {@code ip netns add} creates) or an absolute path such as {@code /proc/PID/ns/net}. One process
   * can so manage several namespaces.
   */
  public static NetlinkSocket open(int protocol, String netns) {
    Objects.requireNonNull(netns, "netns");
    ensureAvailable();
    String path = NetworkNamespace.path(netns);
    return new NetlinkSocket(NetworkNamespace.call(path, () -> LinuxNetlinkSocket.open(protocol, RECEIVE_BUFFER)));
  }

  @Override
  public int portId() {
    return socket.portId();
  }

  @Override
  public void send(ByteBuffer datagram) {
    socket.send(datagram);
  }

  @Override
  public ByteBuffer receive(Duration timeout) {
    long micros;
    try {
      micros = Math.max(1, timeout.toNanos() / 1000);
    } catch (ArithmeticException e) {
      micros = Long.MAX_VALUE / 2;
    }
    return socket.receive(micros);
  }

  @Override
  public void close() {
    socket.close();
  }
}
