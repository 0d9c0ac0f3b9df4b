package io.ha4j.bench;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which IPv4 packets a raw socket hands the benchmark are advertisements of the master: IP
 * protocol {@code protocol} from {@code source} and, for UDP, to {@code udpPort}. A raw IPv4
 * socket returns the whole packet with its header (raw(7)), so the checks read the header as RFC
 * 791 lays it out: the header length from IHL, the protocol at byte 9, the source at bytes 12-15;
 * the UDP destination port (RFC 768) follows the header at its bytes 2-3.
 *
 * @param source the master's address
 * @param protocol the IP protocol: 112 for VRRP, 17 for UDP
 * @param udpPort the UDP destination port, 1-65535, with protocol 17; 0 otherwise
 */
record AdvertisementFilter(Inet4Address source, int protocol, int udpPort) implements Predicate<ByteBuffer> {

  static final int IPPROTO_UDP = 17;
  static final int IPPROTO_VRRP = 112;

  AdvertisementFilter {
    Objects.requireNonNull(source, "source");
    if (protocol < 0 || protocol > 255) {
      throw new IllegalArgumentException("protocol must be 0-255, was " + protocol);
    }
    if (protocol == IPPROTO_UDP ? udpPort < 1 || udpPort > 65535 : udpPort != 0) {
      throw new IllegalArgumentException("udpPort must be 1-65535 for UDP and 0 otherwise, was " + udpPort
          + " with protocol " + protocol);
    }
  }

  static AdvertisementFilter vrrp(Inet4Address source) {
    return new AdvertisementFilter(source, IPPROTO_VRRP, 0);
  }

  static AdvertisementFilter udp(Inet4Address source, int port) {
    return new AdvertisementFilter(source, IPPROTO_UDP, port);
  }

  /** Whether {@code packet} (from its position to its limit, left unchanged) is one of the master's advertisements. */
  @Override
  public boolean test(ByteBuffer packet) {
    ByteBuffer p = packet.slice();
    if (p.remaining() < 20 || (p.get(0) & 0xf0) != 0x40) {
      return false;
    }
    int headerLength = (p.get(0) & 0x0f) * 4;
    if (headerLength < 20 || headerLength > p.remaining() || (p.get(9) & 0xff) != protocol) {
      return false;
    }
    byte[] from = new byte[4];
    p.get(12, from);
    if (!Arrays.equals(from, source.getAddress())) {
      return false;
    }
    if (protocol != IPPROTO_UDP) {
      return true;
    }
    // A later fragment carries no UDP header; the raw socket sees packets after reassembly anyway.
    boolean laterFragment = (p.getShort(6) & 0x1fff) != 0;
    return !laterFragment && p.remaining() >= headerLength + 4 && (p.getShort(headerLength + 2) & 0xffff) == udpPort;
  }
}
