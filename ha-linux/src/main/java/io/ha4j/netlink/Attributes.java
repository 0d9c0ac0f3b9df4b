package io.ha4j.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A decoded run of netlink attributes ({@code struct nlattr}: len u16, type u16, value, padded to
 * 4 bytes). Types are kept without the {@code NLA_F_NESTED}/{@code NLA_F_NET_BYTEORDER} bits; when a
 * type repeats, the last one wins, as in the kernel's {@code nla_parse}. Every accessor checks the
 * value's length and throws a {@link NetlinkException} of kind {@code PROTOCOL} if it is wrong.
 */
public final class Attributes {

  // Where each attribute's value lies in one shared buffer, in the order they appeared: no map,
  // no boxing and no buffer view per attribute. A dump of thousands of real servers decodes some
  // forty attributes per server, and this is the hot path of reading a table.
  private final ByteBuffer base;
  private final int[] types;
  private final int[] starts;
  private final int[] lengths;
  private final int count;

  private Attributes(ByteBuffer base, int[] types, int[] starts, int[] lengths, int count) {
    this.base = base;
    this.types = types;
    this.starts = starts;
    this.lengths = lengths;
    this.count = count;
  }

  /** Decodes every attribute in {@code b} (from its position to its limit). */
  public static Attributes parse(ByteBuffer b) {
    ByteBuffer in = b.duplicate().order(ByteOrder.nativeOrder());
    int capacity = 16;
    int[] types = new int[capacity];
    int[] starts = new int[capacity];
    int[] lengths = new int[capacity];
    int n = 0;
    int at = in.position();
    int limit = in.limit();
    while (at < limit) {
      int left = limit - at;
      if (left < Netlink.ATTRIBUTE_HEADER_LENGTH) {
        throw NetlinkException.protocol("truncated attribute header: " + left + " bytes left");
      }
      int len = Short.toUnsignedInt(in.getShort(at));
      int type = Short.toUnsignedInt(in.getShort(at + 2)) & Netlink.NLA_TYPE_MASK;
      if (len < Netlink.ATTRIBUTE_HEADER_LENGTH || len > left) {
        throw NetlinkException.protocol(
            "bad nla_len " + len + " of attribute " + type + " with " + left + " bytes left");
      }
      if (n == capacity) {
        capacity *= 2;
        types = Arrays.copyOf(types, capacity);
        starts = Arrays.copyOf(starts, capacity);
        lengths = Arrays.copyOf(lengths, capacity);
      }
      types[n] = type;
      starts[n] = at + Netlink.ATTRIBUTE_HEADER_LENGTH;
      lengths[n] = len - Netlink.ATTRIBUTE_HEADER_LENGTH;
      n++;
      at = Math.min(limit, at + Netlink.align(len));
    }
    return new Attributes(in, types, starts, lengths, n);
  }

  /** The index of the last attribute of {@code type} (the kernel's nla_parse keeps the last), or -1. */
  private int indexOf(int type) {
    for (int i = count - 1; i >= 0; i--) {
      if (types[i] == type) {
        return i;
      }
    }
    return -1;
  }

  /** The attribute types present. */
  public Set<Integer> types() {
    Set<Integer> out = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      out.add(types[i]);
    }
    return Collections.unmodifiableSet(out);
  }

  /** The attribute types in the order they appeared, repeats included. */
  public List<Integer> order() {
    List<Integer> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(types[i]);
    }
    return Collections.unmodifiableList(out);
  }

  public boolean has(int type) {
    return indexOf(type) >= 0;
  }

  private ByteBuffer slice(int i) {
    return base.duplicate().limit(starts[i] + lengths[i]).position(starts[i]).slice().order(ByteOrder.nativeOrder());
  }

  /** The raw value, or null when absent. */
  public @Nullable ByteBuffer raw(int type) {
    int i = indexOf(type);
    return i < 0 ? null : slice(i);
  }

  /** The index of the value of {@code type}, which must be at least {@code length} bytes long. */
  private int require(int type, int length, String what) {
    int i = indexOf(type);
    if (i < 0) {
      throw NetlinkException.protocol("missing attribute " + type + " (" + what + ")");
    }
    if (length >= 0 && lengths[i] < length) {
      throw NetlinkException.protocol("attribute " + type + " (" + what + ") has " + lengths[i]
          + " bytes, needs " + length);
    }
    return i;
  }

  private static final boolean NATIVE_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

  /** An unsigned 8-bit value. */
  public int u8(int type) {
    return Byte.toUnsignedInt(base.get(starts[require(type, 1, "u8")]));
  }

  /** An unsigned 16-bit value in native byte order. */
  public int u16(int type) {
    return Short.toUnsignedInt(base.getShort(starts[require(type, 2, "u16")]));
  }

  /** An unsigned 16-bit value in network byte order ({@code __be16}, e.g. IPVS ports). */
  public int u16be(int type) {
    short v = base.getShort(starts[require(type, 2, "be16")]);
    return Short.toUnsignedInt(NATIVE_BIG_ENDIAN ? v : Short.reverseBytes(v));
  }

  /** A 32-bit value in native byte order (unsigned values stay in the int's bits). */
  public int u32(int type) {
    return base.getInt(starts[require(type, 4, "u32")]);
  }

  /** A 32-bit value in network byte order. */
  public int u32be(int type) {
    int v = base.getInt(starts[require(type, 4, "be32")]);
    return NATIVE_BIG_ENDIAN ? v : Integer.reverseBytes(v);
  }

  /** A 64-bit value in native byte order. */
  public long u64(int type) {
    return base.getLong(starts[require(type, 8, "u64")]);
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
    ByteBuffer v = slice(require(type, 0, "string"));
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
    ByteBuffer v = slice(require(type, length, "binary"));
    byte[] out = new byte[length >= 0 ? length : v.remaining()];
    v.get(out);
    return out;
  }

  /** The attributes nested in attribute {@code type}. */
  public Attributes nested(int type) {
    int i = require(type, 0, "nested");
    return parse(base.duplicate().limit(starts[i] + lengths[i]).position(starts[i]));
  }

  @Override
  public String toString() {
    return "Attributes" + order();
  }
}
