package io.ha4j.vip.codec;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An Ethernet frame carrying an IPv6 neighbour advertisement (RFC 4861 section 4.4) with a target
 * link-layer address option, complete with the IPv6 header, as an {@code AF_PACKET} socket sends it.
 *
 * <p>We build the whole frame ourselves rather than use a raw ICMPv6 socket so that one socket type
 * (AF_PACKET, CAP_NET_RAW) serves ARP and NA, the bytes are exactly what tests compare, and the
 * kernel's source address selection (which skips tentative or optimistic addresses) cannot change
 * the announcement.
 *
 * @param destination Ethernet destination (33:33:00:00:00:01 for all-nodes)
 * @param source Ethernet source
 * @param sourceAddress IPv6 source (the announced address itself, as keepalived does)
 * @param destinationAddress IPv6 destination (ff02::1 for an unsolicited advertisement)
 * @param hopLimit must be 255 (RFC 4861 section 7.1.2: receivers drop anything else)
 * @param router R flag
 * @param solicited S flag (false for unsolicited advertisements, RFC 4861 section 7.2.6)
 * @param override O flag (true so that receivers replace a cached link-layer address)
 * @param target the address whose link-layer address is announced
 * @param targetHardware the target link-layer address option's value
 */
public record NeighborAdvertisementFrame(
    MacAddress destination,
    MacAddress source,
    Inet6Address sourceAddress,
    Inet6Address destinationAddress,
    int hopLimit,
    boolean router,
    boolean solicited,
    boolean override,
    Inet6Address target,
    MacAddress targetHardware) {

  /** Ethernet type of IPv6. */
  public static final int ETH_P_IPV6 = 0x86dd;
  /** Bytes of an encoded frame: 14 Ethernet + 40 IPv6 + 24 NA + 8 option. */
  public static final int LENGTH = 86;
  /** ff02::1. */
  public static final Inet6Address ALL_NODES = inet6(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

  private static final int ICMPV6 = 58;
  private static final int ND_NEIGHBOR_ADVERT = 136;
  private static final int ND_OPT_TARGET_LINKADDR = 2;
  private static final int ICMP_LENGTH = 32;

  public NeighborAdvertisementFrame {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sourceAddress, "sourceAddress");
    Objects.requireNonNull(destinationAddress, "destinationAddress");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetHardware, "targetHardware");
    if (hopLimit < 0 || hopLimit > 255) {
      throw new IllegalArgumentException("hopLimit must be 0..255, was " + hopLimit);
    }
  }

  /**
   * An unsolicited advertisement for {@code address} at {@code mac}: to all-nodes, hop limit 255,
   * override set, solicited clear (RFC 4861 section 7.2.6).
   */
  public static NeighborAdvertisementFrame unsolicited(MacAddress mac, Inet6Address address, boolean router) {
    return new NeighborAdvertisementFrame(
        MacAddress.ipv6Multicast(ALL_NODES.getAddress()), mac, address, ALL_NODES, 255, router, false, true,
        address, mac);
  }

  /** The 86-byte frame with a correct ICMPv6 checksum. */
  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(LENGTH);
    destination.write(out);
    source.write(out);
    ArpFrame.putShort(out, ETH_P_IPV6);
    out.putInt(0x6000_0000); // version 6, traffic class 0, flow label 0
    ArpFrame.putShort(out, ICMP_LENGTH);
    out.put((byte) ICMPV6);
    out.put((byte) hopLimit);
    out.put(sourceAddress.getAddress());
    out.put(destinationAddress.getAddress());
    int icmpStart = out.position();
    out.put((byte) ND_NEIGHBOR_ADVERT);
    out.put((byte) 0);
    ArpFrame.putShort(out, 0);
    out.put((byte) ((router ? 0x80 : 0) | (solicited ? 0x40 : 0) | (override ? 0x20 : 0)));
    out.put(new byte[3]);
    out.put(target.getAddress());
    out.put((byte) ND_OPT_TARGET_LINKADDR);
    out.put((byte) 1); // in units of 8 octets
    targetHardware.write(out);
    byte[] frame = out.array();
    int sum = checksum(sourceAddress, destinationAddress, frame, icmpStart, ICMP_LENGTH);
    frame[icmpStart + 2] = (byte) (sum >>> 8);
    frame[icmpStart + 3] = (byte) sum;
    return frame;
  }

  /**
   * The ICMPv6 checksum (RFC 4443 section 2.3) over the IPv6 pseudo-header (RFC 8200 section 8.1)
   * and {@code length} bytes of the message at {@code offset}, whose checksum field must be zero or
   * hold the checksum to verify (then the result is 0).
   */
  public static int checksum(Inet6Address src, Inet6Address dst, byte[] buf, int offset, int length) {
    long sum = 0;
    sum += sum16(src.getAddress(), 0, 16);
    sum += sum16(dst.getAddress(), 0, 16);
    sum += length;
    sum += ICMPV6;
    sum += sum16(buf, offset, length);
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  private static long sum16(byte[] b, int offset, int length) {
    long s = 0;
    for (int i = 0; i < length; i += 2) {
      int hi = b[offset + i] & 0xff;
      int lo = i + 1 < length ? b[offset + i + 1] & 0xff : 0;
      s += (hi << 8) | lo;
    }
    return s;
  }

  /**
   * Decodes a frame and checks its checksum.
   *
   * @throws MalformedFrameException if it is not an IPv6 neighbour advertisement with a target
   *     link-layer option, or the checksum is wrong
   */
  public static NeighborAdvertisementFrame decode(ByteBuffer in) {
    if (in.remaining() < LENGTH) {
      throw new MalformedFrameException("NA frame needs " + LENGTH + " bytes, has " + in.remaining());
    }
    byte[] frame = new byte[in.remaining()];
    in.get(frame);
    ByteBuffer b = ByteBuffer.wrap(frame);
    MacAddress dst = MacAddress.read(b);
    MacAddress src = MacAddress.read(b);
    int ethType = ArpFrame.getShort(b);
    if (ethType != ETH_P_IPV6) {
      throw new MalformedFrameException("ethertype is 0x" + Integer.toHexString(ethType) + ", not IPv6");
    }
    int vtf = b.getInt();
    if ((vtf >>> 28) != 6) {
      throw new MalformedFrameException("IP version is " + (vtf >>> 28) + ", not 6");
    }
    int payloadLength = ArpFrame.getShort(b);
    int next = b.get() & 0xff;
    int hop = b.get() & 0xff;
    Inet6Address sa = readInet6(b);
    Inet6Address da = readInet6(b);
    if (next != ICMPV6 || payloadLength < ICMP_LENGTH || payloadLength > b.remaining()) {
      throw new MalformedFrameException("not ICMPv6 of a plausible length: next header " + next + ", payload " + payloadLength);
    }
    int icmpStart = b.position();
    if (checksum(sa, da, frame, icmpStart, payloadLength) != 0) {
      throw new MalformedFrameException("ICMPv6 checksum is wrong");
    }
    int type = b.get() & 0xff;
    if (type != ND_NEIGHBOR_ADVERT) {
      throw new MalformedFrameException("ICMPv6 type " + type + " is not a neighbour advertisement");
    }
    b.get();
    b.getShort();
    int flags = b.get() & 0xff;
    b.position(b.position() + 3);
    Inet6Address target = readInet6(b);
    int optType = b.get() & 0xff;
    int optLen = b.get() & 0xff;
    if (optType != ND_OPT_TARGET_LINKADDR || optLen != 1) {
      throw new MalformedFrameException("first option is type " + optType + " length " + optLen + ", not a target link-layer address");
    }
    MacAddress tll = MacAddress.read(b);
    return new NeighborAdvertisementFrame(
        dst, src, sa, da, hop, (flags & 0x80) != 0, (flags & 0x40) != 0, (flags & 0x20) != 0, target, tll);
  }

  static Inet6Address readInet6(ByteBuffer in) {
    byte[] a = new byte[16];
    in.get(a);
    return inet6(a);
  }

  static Inet6Address inet6(byte[] a) {
    try {
      // Not InetAddress.getByAddress: it turns ::ffff:a.b.c.d into an Inet4Address.
      return Inet6Address.getByAddress(null, a, -1);
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes are always an IPv6 address", e);
    }
  }

  @Override
  public String toString() {
    return "NA " + target.getHostAddress() + " is-at " + targetHardware + (override ? " [O]" : "")
        + (solicited ? " [S]" : "") + (router ? " [R]" : "") + " " + sourceAddress.getHostAddress() + " > "
        + destinationAddress.getHostAddress() + " hlim " + hopLimit;
  }
}
