package io.ha4j.vip.codec;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An Ethernet (EUI-48) hardware address.
 *
 * @param value the 48 bits in the low part of the long, first octet most significant
 */
public record MacAddress(long value) {

  /** ff:ff:ff:ff:ff:ff. */
  public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
  /** 00:00:00:00:00:00. */
  public static final MacAddress ZERO = new MacAddress(0);
  /** Octets in an address. */
  public static final int LENGTH = 6;

  public MacAddress {
    if ((value & ~0xffff_ffff_ffffL) != 0) {
      throw new IllegalArgumentException("value must fit in 48 bits, was 0x" + Long.toHexString(value));
    }
  }

  /** Parses {@code 02:00:00:00:00:01} (colons or dashes). */
  public static MacAddress parse(String text) {
    String[] parts = text.split("[:-]");
    if (parts.length != LENGTH) {
      throw new IllegalArgumentException("text is not a MAC address: '" + text + "'");
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 2) {
        throw new IllegalArgumentException("text is not a MAC address: '" + text + "'");
      }
      v = (v << 8) | Integer.parseInt(p, 16);
    }
    return new MacAddress(v);
  }

  /** From six octets. */
  public static MacAddress of(byte[] octets) {
    if (octets.length != LENGTH) {
      throw new IllegalArgumentException("octets must be 6 bytes, was " + octets.length);
    }
    return read(ByteBuffer.wrap(octets));
  }

  /** Reads six octets at the buffer's position and advances it. */
  public static MacAddress read(ByteBuffer in) {
    long v = 0;
    for (int i = 0; i < LENGTH; i++) {
      v = (v << 8) | (in.get() & 0xff);
    }
    return new MacAddress(v);
  }

  /** Writes the six octets at the buffer's position. */
  public void write(ByteBuffer out) {
    for (int i = LENGTH - 1; i >= 0; i--) {
      out.put((byte) (value >>> (8 * i)));
    }
  }

  /** The six octets. */
  public byte[] octets() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    write(b);
    return b.array();
  }

  /** IPv6 multicast MAC 33:33:xx:xx:xx:xx for a group's low 32 bits (RFC 2464 section 7). */
  public static MacAddress ipv6Multicast(byte[] group) {
    long v = 0x3333L;
    for (int i = 12; i < 16; i++) {
      v = (v << 8) | (group[i] & 0xff);
    }
    return new MacAddress(v);
  }

  @Override
  public String toString() {
    String hex = HexFormat.of().formatHex(octets()).toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < hex.length(); i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(hex, i, i + 2);
    }
    return sb.toString();
  }
}
