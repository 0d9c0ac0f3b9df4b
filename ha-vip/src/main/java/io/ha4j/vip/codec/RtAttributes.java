package io.ha4j.vip.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Route attributes ({@code struct rtattr}: u16 length, u16 type, value, padded to 4 bytes), in host
 * byte order. Kept to what the address and link payloads need.
 */
final class RtAttributes {

  private RtAttributes() {}

  static int align(int n) {
    return (n + 3) & ~3;
  }

  static void put(ByteBuffer out, int type, byte[] value) {
    out.putShort((short) (4 + value.length));
    out.putShort((short) type);
    out.put(value);
    pad(out, 4 + value.length);
  }

  static void putInt(ByteBuffer out, int type, int value) {
    out.putShort((short) 8);
    out.putShort((short) type);
    out.putInt(value);
  }

  static void putString(ByteBuffer out, int type, String value) {
    byte[] s = value.getBytes(StandardCharsets.US_ASCII);
    byte[] z = new byte[s.length + 1];
    System.arraycopy(s, 0, z, 0, s.length);
    put(out, type, z);
  }

  private static void pad(ByteBuffer out, int written) {
    for (int i = written; i < align(written); i++) {
      out.put((byte) 0);
    }
  }

  /** Calls {@code visitor(type, value)} for each attribute up to the buffer's limit; nested flag bits are cleared. */
  static void forEach(ByteBuffer in, BiConsumer<Integer, ByteBuffer> visitor) {
    while (in.remaining() >= 4) {
      int start = in.position();
      int len = in.getShort() & 0xffff;
      int type = in.getShort() & 0x3fff; // NLA_F_NESTED, NLA_F_NET_BYTEORDER
      if (len < 4 || start + len > in.limit()) {
        throw new MalformedFrameException("attribute type " + type + " length " + len + " overruns the message");
      }
      ByteBuffer value = in.slice(start + 4, len - 4).order(ByteOrder.nativeOrder());
      visitor.accept(type, value);
      in.position(Math.min(in.limit(), start + align(len)));
    }
  }

  static String string(ByteBuffer value) {
    int n = 0;
    while (n < value.remaining() && value.get(value.position() + n) != 0) {
      n++;
    }
    byte[] b = new byte[n];
    value.get(value.position(), b);
    return new String(b, StandardCharsets.US_ASCII);
  }

  static byte[] bytes(ByteBuffer value) {
    byte[] b = new byte[value.remaining()];
    value.get(value.position(), b);
    return b;
  }
}
