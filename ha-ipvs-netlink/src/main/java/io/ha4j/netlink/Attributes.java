package io.ha4j.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A decoded run of netlink attributes ({@code struct nlattr}: len u16, type u16, value, padded to
 * 4 bytes). Types are kept without the {@code NLA_F_NESTED}/{@code NLA_F_NET_BYTEORDER} bits; when a
 * type repeats, the last one wins, as in the kernel's {@code nla_parse}. Every accessor checks the
 * value's length and throws a {@link NetlinkException} of kind {@code PROTOCOL} if it is wrong.
 */
public final class Attributes {

  private final Map<Integer, ByteBuffer> byType;
  private final List<Integer> order;

  private Attributes(Map<Integer, ByteBuffer> byType, List<Integer> order) {
    this.byType = byType;
    this.order = order;
  }

  /** Decodes every attribute in {@code b} (from its position to its limit). */
  public static Attributes parse(ByteBuffer b) {
    ByteBuffer in = b.duplicate().order(ByteOrder.nativeOrder());
    TreeMap<Integer, ByteBuffer> map = new TreeMap<>();
    List<Integer> order = new ArrayList<>();
    while (in.remaining() > 0) {
      if (in.remaining() < Netlink.ATTRIBUTE_HEADER_LENGTH) {
        throw NetlinkException.protocol("truncated attribute header: " + in.remaining() + " bytes left");
      }
      int start = in.position();
      int len = Short.toUnsignedInt(in.getShort(start));
      int type = Short.toUnsignedInt(in.getShort(start + 2)) & Netlink.NLA_TYPE_MASK;
      if (len < Netlink.ATTRIBUTE_HEADER_LENGTH || len > in.remaining()) {
        throw NetlinkException.protocol(
            "bad nla_len " + len + " of attribute " + type + " with " + in.remaining() + " bytes left");
      }
      ByteBuffer value = in.duplicate().position(start + Netlink.ATTRIBUTE_HEADER_LENGTH)
          .limit(start + len).slice().order(ByteOrder.nativeOrder());
      map.put(type, value);
      order.add(type);
      in.position(Math.min(in.limit(), start + Netlink.align(len)));
    }
    return new Attributes(map, Collections.unmodifiableList(order));
  }

  /** The attribute types present. */
  public Set<Integer> types() {
    return Collections.unmodifiableSet(byType.keySet());
  }

  /** The attribute types in the order they appeared, repeats included. */
  public List<Integer> order() {
    return order;
  }

  public boolean has(int type) {
    return byType.containsKey(type);
  }

  /** The raw value, or null when absent. */
  public @Nullable ByteBuffer raw(int type) {
    ByteBuffer v = byType.get(type);
    return v == null ? null : v.duplicate().order(ByteOrder.nativeOrder());
  }

  private ByteBuffer require(int type, int length, String what) {
    ByteBuffer v = byType.get(type);
    if (v == null) {
      throw NetlinkException.protocol("missing attribute " + type + " (" + what + ")");
    }
    if (length >= 0 && v.remaining() < length) {
      throw NetlinkException.protocol("attribute " + type + " (" + what + ") has " + v.remaining()
          + " bytes, needs " + length);
    }
    return v.duplicate().order(ByteOrder.nativeOrder());
  }

  /** An unsigned 8-bit value. */
  public int u8(int type) {
    return Byte.toUnsignedInt(require(type, 1, "u8").get(0));
  }

  /** An unsigned 16-bit value in native byte order. */
  public int u16(int type) {
    return Short.toUnsignedInt(require(type, 2, "u16").getShort(0));
  }

  /** An unsigned 16-bit value in network byte order ({@code __be16}, e.g. IPVS ports). */
  public int u16be(int type) {
    return Short.toUnsignedInt(require(type, 2, "be16").order(ByteOrder.BIG_ENDIAN).getShort(0));
  }

  /** A 32-bit value in native byte order (unsigned values stay in the int's bits). */
  public int u32(int type) {
    return require(type, 4, "u32").getInt(0);
  }

  /** A 32-bit value in network byte order. */
  public int u32be(int type) {
    return require(type, 4, "be32").order(ByteOrder.BIG_ENDIAN).getInt(0);
  }

  /** A 64-bit value in native byte order. */
  public long u64(int type) {
    return require(type, 8, "u64").getLong(0);
  }

  public int u8(int type, int absent) {
    return has(type) ? u8(type) : absent;
  }

  public int u16(int type, int absent) {
    return has(type) ? u16(type) : absent;
  }

  public int u16be(int type, int absent) {
    return has(type) ? u16be(type) : absent;
  }

  public int u32(int type, int absent) {
    return has(type) ? u32(type) : absent;
  }

  public int u32be(int type, int absent) {
    return has(type) ? u32be(type) : absent;
  }

  public long u64(int type, long absent) {
    return has(type) ? u64(type) : absent;
  }

  /** A string up to its first NUL (or the end of the value), UTF-8. */
  public String string(int type) {
    ByteBuffer v = require(type, 0, "string");
    int n = 0;
    while (n < v.remaining() && v.get(n) != 0) {
      n++;
    }
    byte[] bytes = new byte[n];
    v.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public @Nullable String stringOrNull(int type) {
    return has(type) ? string(type) : null;
  }

  /** The value's bytes, which must be exactly {@code length} long, or any length if negative. */
  public byte[] bytes(int type, int length) {
    ByteBuffer v = require(type, length, "binary");
    byte[] out = new byte[length >= 0 ? length : v.remaining()];
    v.get(out);
    return out;
  }

  /** The attributes nested in attribute {@code type}. */
  public Attributes nested(int type) {
    return parse(require(type, 0, "nested"));
  }

  @Override
  public String toString() {
    return "Attributes" + order;
  }
}
