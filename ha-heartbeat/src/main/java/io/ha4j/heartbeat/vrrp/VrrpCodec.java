package io.ha4j.heartbeat.vrrp;

import io.ha4j.api.AddressFamily;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes VRRPv3 messages (the IP payload, protocol 112), RFC 5798 section 5.
 *
 * <p>The checksum covers the IPv4 or IPv6 pseudo-header (RFC 5798 section 5.2.8), so encoding and
 * checking need the packet's source and destination. keepalived before 1.3 computed the unicast
 * checksum with the multicast group in the pseudo-header; keepalived's {@code
 * old_unicast_checksum} keeps that, and so does {@link #encode(VrrpAdvertisement, InetAddress,
 * InetAddress, boolean)} with {@code oldUnicastChecksum}.
 */
public final class VrrpCodec {

  /** IP protocol number of VRRP. */
  public static final int IPPROTO_VRRP = 112;

  private static final InetAddress GROUP4 = literal(new byte[] {(byte) 224, 0, 0, 18});
  private static final InetAddress GROUP6 =
      literal(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});

  private VrrpCodec() {}

  /** The IPv4 multicast group 224.0.0.18. */
  public static InetAddress group4() {
    return GROUP4;
  }

  /** The IPv6 multicast group ff02::12. */
  public static InetAddress group6() {
    return GROUP6;
  }

  /** Encodes {@code adv} sent from {@code source} to {@code destination}. */
  public static ByteBuffer encode(VrrpAdvertisement adv, InetAddress source, InetAddress destination) {
    return encode(adv, source, destination, false);
  }

  /**
   * Encodes {@code adv}; with {@code oldUnicastChecksum} the pseudo-header carries the multicast
   * group instead of the unicast {@code destination}.
   */
  public static ByteBuffer encode(
      VrrpAdvertisement adv, InetAddress source, InetAddress destination, boolean oldUnicastChecksum) {
    checkFamily(adv.family(), source, "source");
    checkFamily(adv.family(), destination, "destination");
    ByteBuffer b = ByteBuffer.allocate(adv.length());
    b.put((byte) (VrrpAdvertisement.VERSION << 4 | VrrpAdvertisement.TYPE_ADVERTISEMENT));
    b.put((byte) adv.vrid());
    b.put((byte) adv.priority());
    b.put((byte) adv.addresses().size());
    b.putShort((short) (adv.maxAdvertIntervalCentis() & 0x0fff)); // 4 reserved bits are zero
    b.putShort((short) 0);
    for (InetAddress a : adv.addresses()) {
      b.put(a.getAddress());
    }
    b.flip();
    int sum = checksum(b, source, pseudoDestination(adv.family(), destination, oldUnicastChecksum));
    b.putShort(6, (short) sum);
    return b;
  }

  /**
   * Decodes the VRRP message in {@code packet} (position to limit) received from {@code source} on
   * {@code destination}, and checks its checksum. Accepts the old unicast checksum too when {@code
   * acceptOldUnicastChecksum} is set.
   */
  public static VrrpAdvertisement decode(
      ByteBuffer packet, InetAddress source, InetAddress destination, boolean acceptOldUnicastChecksum)
      throws VrrpFormatException {
    ByteBuffer b = packet.slice();
    if (b.remaining() < 8) {
      throw new VrrpFormatException(VrrpFormatException.Reason.TRUNCATED, "VRRP message of " + b.remaining() + " bytes");
    }
    int vt = b.get(0) & 0xff;
    if (vt >> 4 != VrrpAdvertisement.VERSION) {
      throw new VrrpFormatException(VrrpFormatException.Reason.BAD_VERSION, "VRRP version " + (vt >> 4));
    }
    if ((vt & 0x0f) != VrrpAdvertisement.TYPE_ADVERTISEMENT) {
      throw new VrrpFormatException(VrrpFormatException.Reason.BAD_TYPE, "VRRP type " + (vt & 0x0f));
    }
    AddressFamily family;
    try {
      family = AddressFamily.of(source);
    } catch (IllegalArgumentException e) {
      throw new VrrpFormatException(VrrpFormatException.Reason.BAD_FIELD, "source is not an IP address");
    }
    if (AddressFamily.of(destination) != family) {
      throw new VrrpFormatException(VrrpFormatException.Reason.BAD_FIELD, "source and destination families differ");
    }
    int count = b.get(3) & 0xff;
    int addrLen = family == AddressFamily.INET ? 4 : 16;
    int length = 8 + count * addrLen;
    if (b.remaining() < length) {
      throw new VrrpFormatException(VrrpFormatException.Reason.TRUNCATED,
          "VRRP message of " + b.remaining() + " bytes announces " + count + " addresses (" + length + " bytes)");
    }
    if (b.remaining() != length) {
      throw new VrrpFormatException(VrrpFormatException.Reason.BAD_LENGTH,
          "VRRP message of " + b.remaining() + " bytes, expected " + length + " for " + count + " addresses");
    }
    boolean sumOk = checksum(b, source, destination) == 0;
    if (!sumOk && acceptOldUnicastChecksum && !destination.isMulticastAddress()) {
      sumOk = checksum(b, source, pseudoDestination(family, destination, true)) == 0;
    }
    if (!sumOk) {
      throw new VrrpFormatException(VrrpFormatException.Reason.BAD_CHECKSUM,
          "bad VRRP checksum from " + source.getHostAddress());
    }
    int vrid = b.get(1) & 0xff;
    int priority = b.get(2) & 0xff;
    int interval = b.getShort(4) & 0x0fff;
    if (vrid == 0 || interval == 0 || count == 0) {
      throw new VrrpFormatException(VrrpFormatException.Reason.BAD_FIELD,
          "vrid " + vrid + ", interval " + interval + " cs, " + count + " addresses");
    }
    List<InetAddress> addresses = new ArrayList<>(count);
    byte[] raw = new byte[addrLen];
    for (int i = 0; i < count; i++) {
      b.position(8 + i * addrLen);
      b.get(raw);
      addresses.add(literal(raw.clone()));
    }
    return new VrrpAdvertisement(vrid, priority, interval, addresses);
  }

  private static InetAddress pseudoDestination(AddressFamily f, InetAddress destination, boolean oldUnicast) {
    if (!oldUnicast || destination.isMulticastAddress()) {
      return destination;
    }
    return f == AddressFamily.INET ? GROUP4 : GROUP6;
  }

  /**
   * The Internet checksum (RFC 1071) of the pseudo-header and {@code message}; 0 when a message
   * with a correct checksum field is summed.
   */
  static int checksum(ByteBuffer message, InetAddress source, InetAddress destination) {
    long sum = 0;
    sum += sumBytes(source.getAddress());
    sum += sumBytes(destination.getAddress());
    int len = message.remaining();
    if (source.getAddress().length == 4) {
      sum += IPPROTO_VRRP; // zero byte, protocol byte
      sum += len;
    } else {
      sum += (len >>> 16) + (len & 0xffff); // 32-bit upper-layer length
      sum += IPPROTO_VRRP; // three zero bytes, next header
    }
    for (int i = 0; i < len; i += 2) {
      int hi = message.get(message.position() + i) & 0xff;
      int lo = i + 1 < len ? message.get(message.position() + i + 1) & 0xff : 0;
      sum += hi << 8 | lo;
    }
    while (sum >>> 16 != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  private static long sumBytes(byte[] a) {
    long s = 0;
    for (int i = 0; i < a.length; i += 2) {
      s += (a[i] & 0xff) << 8 | (a[i + 1] & 0xff);
    }
    return s;
  }

  private static void checkFamily(AddressFamily f, InetAddress a, String field) {
    if (AddressFamily.of(a) != f) {
      throw new IllegalArgumentException(field + " " + a.getHostAddress() + " is not " + f);
    }
  }

  private static InetAddress literal(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
