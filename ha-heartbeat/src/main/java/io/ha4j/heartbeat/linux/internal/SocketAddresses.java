package io.ha4j.heartbeat.linux.internal;

import static io.ha4j.heartbeat.linux.internal.NativeSockets.nat;

import io.ha4j.linux.internal.Libc;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Socket addresses as libc takes and returns them: {@code struct sockaddr_in} and {@code sockaddr_in6}. */
public final class SocketAddresses {

  /** Size of {@code sockaddr_in6}, large enough for {@code sockaddr_in} too. */
  public static final int SOCKADDR = 28;

  private SocketAddresses() {}

  /** {@code struct sockaddr_in} or {@code sockaddr_in6} (port in network order, the rest native). */
  public static byte[] sockaddr(InetSocketAddress a) {
    InetAddress ip = a.getAddress();
    if (ip instanceof Inet4Address) {
      return nat(16).putShort((short) Libc.AF_INET).put(port(a.getPort())).put(ip.getAddress()).array();
    }
    Inet6Address v6 = (Inet6Address) ip;
    return nat(SOCKADDR).putShort((short) Libc.AF_INET6).put(port(a.getPort())).putInt(0).put(v6.getAddress())
        .putInt(v6.getScopeId()).array();
  }

  /** The address in a {@code sockaddr_in} / {@code sockaddr_in6} that the kernel filled in. */
  public static InetSocketAddress socketAddress(ByteBuffer raw) {
    ByteBuffer b = raw.duplicate().order(ByteOrder.nativeOrder());
    int family = b.getShort(0);
    int port = ((b.get(2) & 0xff) << 8) | (b.get(3) & 0xff);
    byte[] ip;
    int scope = 0;
    if (family == Libc.AF_INET6) {
      ip = new byte[16];
      b.get(8, ip);
      scope = b.getInt(24);
    } else {
      ip = new byte[4];
      b.get(4, ip);
    }
    try {
      InetAddress address = family == Libc.AF_INET6 && scope != 0
          ? Inet6Address.getByAddress(null, ip, scope) : InetAddress.getByAddress(ip);
      return new InetSocketAddress(address, port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad socket address from the kernel", e);
    }
  }

  private static byte[] port(int port) {
    return new byte[] {(byte) (port >>> 8), (byte) port};
  }
}
