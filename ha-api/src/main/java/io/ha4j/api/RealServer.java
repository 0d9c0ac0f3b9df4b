package io.ha4j.api;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A real server (IPVS "destination") behind a virtual service.
 *
 * @param address the server's address; may differ in family from the service (IPv6 service over
 *     IPv4 tunnel is not allowed by the kernel, but the field is kept general)
 * @param port 0..65535; 0 keeps the client's destination port (fwmark and port-0 services)
 * @param weight 0..65535; 0 is "quiescent": no new connections, existing ones continue
 * @param forwarding how packets reach the server
 * @param upperThreshold 0 = no limit; otherwise no new connections above this many
 * @param lowerThreshold 0 = unset; connections accepted again below this many
 * @param tunnelType encapsulation for {@link ForwardingMethod#TUN}
 * @param tunnelPort destination port of GUE encapsulation, 0 otherwise
 * @param tunnelFlags {@code IP_VS_TUNNEL_ENCAP_FLAG_*} checksum options (0 = nocsum, 1 = csum, 2 =
 *     remcsum)
 */
public record RealServer(
    InetAddress address,
    int port,
    int weight,
    ForwardingMethod forwarding,
    int upperThreshold,
    int lowerThreshold,
    TunnelType tunnelType,
    int tunnelPort,
    int tunnelFlags) {

  /** What identifies a real server within its virtual service. */
  public record Endpoint(InetAddress address, int port) {
    public Endpoint {
      Objects.requireNonNull(address, "address");
      checkPort("port", port);
    }

    @Override
    public String toString() {
      String a = address.getHostAddress();
      return (address instanceof java.net.Inet6Address ? "[" + a + "]" : a) + ":" + port;
    }
  }

  public RealServer {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(forwarding, "forwarding");
    Objects.requireNonNull(tunnelType, "tunnelType");
    checkPort("port", port);
    checkRange("weight", weight, 0, 65535);
    if (upperThreshold < 0) {
      throw new IllegalArgumentException("upperThreshold must not be negative, was " + upperThreshold);
    }
    if (lowerThreshold < 0) {
      throw new IllegalArgumentException("lowerThreshold must not be negative, was " + lowerThreshold);
    }
    checkPort("tunnelPort", tunnelPort);
    checkRange("tunnelFlags", tunnelFlags, 0, 0xffff);
  }

  /** A direct-routing real server with weight 1 and no thresholds. */
  public static RealServer of(InetAddress address, int port) {
    return new RealServer(address, port, 1, ForwardingMethod.DR, 0, 0, TunnelType.IPIP, 0, 0);
  }

  /** The address and port that identify this server within its service. */
  public Endpoint endpoint() {
    return new Endpoint(address, port);
  }

  public RealServer withWeight(int w) {
    return new RealServer(address, port, w, forwarding, upperThreshold, lowerThreshold, tunnelType, tunnelPort, tunnelFlags);
  }

  public RealServer withForwarding(ForwardingMethod f) {
    return new RealServer(address, port, weight, f, upperThreshold, lowerThreshold, tunnelType, tunnelPort, tunnelFlags);
  }

  public RealServer withThresholds(int upper, int lower) {
    return new RealServer(address, port, weight, forwarding, upper, lower, tunnelType, tunnelPort, tunnelFlags);
  }

  public RealServer withTunnel(TunnelType type, int port, int flags) {
    return new RealServer(address, this.port, weight, forwarding, upperThreshold, lowerThreshold, type, port, flags);
  }

  private static void checkPort(String field, int port) {
    checkRange(field, port, 0, 65535);
  }

  private static void checkRange(String field, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(field + " must be " + min + ".." + max + ", was " + v);
    }
  }
}
