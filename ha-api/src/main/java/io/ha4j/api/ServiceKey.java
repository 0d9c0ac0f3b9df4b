package io.ha4j.api;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What identifies a virtual service in the IPVS table: protocol, address and port, or a firewall
 * mark with an address family.
 */
public sealed interface ServiceKey permits ServiceKey.Inet, ServiceKey.FirewallMark {

  /** The address family of the service. */
  AddressFamily family();

  /** A TCP, UDP or SCTP service at {@code address:port}. */
  static Inet of(Protocol protocol, InetAddress address, int port) {
    return new Inet(protocol, address, port);
  }

  /** A firewall-mark service. */
  static FirewallMark fwmark(int mark, AddressFamily family) {
    return new FirewallMark(mark, family);
  }

  /**
   * A service at an address and port.
   *
   * @param port 0..65535; 0 is allowed only for a persistent service (ipvsadm's "all ports")
   */
  record Inet(Protocol protocol, InetAddress address, int port) implements ServiceKey {
    public Inet {
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(address, "address");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
    }

    @Override
    public AddressFamily family() {
      return AddressFamily.of(address);
    }

    @Override
    public String toString() {
      String a = address.getHostAddress();
      return protocol + " " + (address instanceof java.net.Inet6Address ? "[" + a + "]" : a) + ":" + port;
    }
  }

  /**
   * A service matching packets with firewall mark {@code mark}.
   *
   * @param mark 1..2^32-1, held as a signed int
   */
  record FirewallMark(int mark, AddressFamily family) implements ServiceKey {
    public FirewallMark {
      Objects.requireNonNull(family, "family");
      if (mark == 0) {
        throw new IllegalArgumentException("fwmark must not be 0");
      }
    }

    @Override
    public String toString() {
      return "FWM " + Integer.toUnsignedString(mark) + (family == AddressFamily.INET6 ? " IPv6" : "");
    }
  }
}
