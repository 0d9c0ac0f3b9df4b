package io.ha4j.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes one netlink message: the {@code nlmsghdr}, a family header and attributes, in native byte
 * order with every attribute padded to 4 bytes. The length, sequence number and port id are filled
 * in by {@link #build(int, int)}, so a {@link NetlinkConnection} can number the message when it
 * sends it.
 */
public final class MessageBuilder {

  private ByteBuffer buf;
  private final int type;
  private int flags;
  private int nestDepth;

  /** A message of {@code type} with {@code flags} ({@code NLM_F_*}; REQUEST/ACK may be added later). */
  public MessageBuilder(int type, int flags) {
    this.type = type;
    this.flags = flags;
    this.buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    buf.position(Netlink.HEADER_LENGTH);
  }

  /** A generic netlink message: header then {@code genlmsghdr} {cmd, version, reserved 0}. */
  public static MessageBuilder genl(int familyId, int flags, int command, int version) {
    MessageBuilder m = new MessageBuilder(familyId, flags);
    m.putU8(command).putU8(version).putU16(0);
    return m;
  }

  public int type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  /** Adds {@code f} to the header flags. */
  public MessageBuilder addFlags(int f) {
    flags |= f;
    return this;
  }

  private void ensure(int n) {
    if (buf.remaining() < n) {
      int cap = Math.max(buf.capacity() * 2, buf.position() + n);
      buf = ByteBuffer.wrap(Arrays.copyOf(buf.array(), cap)).order(ByteOrder.nativeOrder()).position(buf.position());
    }
  }

  /** Raw bytes of a family header (e.g. {@code ifaddrmsg}); no padding is added. */
  public MessageBuilder putBytes(byte[] b) {
    ensure(b.length);
    buf.put(b);
    return this;
  }

  public MessageBuilder putU8(int v) {
    ensure(1);
    buf.put((byte) v);
    return this;
  }

  public MessageBuilder putU16(int v) {
    ensure(2);
    buf.putShort((short) v);
    return this;
  }

  public MessageBuilder putU32(int v) {
    ensure(4);
    buf.putInt(v);
    return this;
  }

  private void attributeHeader(int attrType, int valueLength) {
    int len = Netlink.ATTRIBUTE_HEADER_LENGTH + valueLength;
    if (len > 0xffff) {
      throw new IllegalArgumentException("attribute " + attrType + " value too long: " + valueLength);
    }
    ensure(Netlink.align(len));
    buf.putShort((short) len);
    buf.putShort((short) attrType);
  }

  private void pad() {
    while ((buf.position() & 3) != 0) {
      buf.put((byte) 0);
    }
  }

  /** An attribute holding an unsigned 8-bit value. */
  public MessageBuilder u8(int attrType, int v) {
    attributeHeader(attrType, 1);
    buf.put((byte) v);
    pad();
    return this;
  }

  /** An attribute holding a 16-bit value in native byte order. */
  public MessageBuilder u16(int attrType, int v) {
    attributeHeader(attrType, 2);
    buf.putShort((short) v);
    pad();
    return this;
  }

  /** An attribute holding a 16-bit value in network byte order ({@code __be16}). */
  public MessageBuilder u16be(int attrType, int v) {
    attributeHeader(attrType, 2);
    buf.put((byte) (v >>> 8)).put((byte) v);
    pad();
    return this;
  }

  /** An attribute holding a 32-bit value in native byte order. */
  public MessageBuilder u32(int attrType, int v) {
    attributeHeader(attrType, 4);
    buf.putInt(v);
    return this;
  }

  /** An attribute holding a 32-bit value in network byte order ({@code __be32}). */
  public MessageBuilder u32be(int attrType, int v) {
    attributeHeader(attrType, 4);
    buf.put((byte) (v >>> 24)).put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
    return this;
  }

  /** An attribute holding a 64-bit value in native byte order. */
  public MessageBuilder u64(int attrType, long v) {
    attributeHeader(attrType, 8);
    buf.putLong(v);
    return this;
  }

  /** A NUL-terminated string attribute ({@code NLA_NUL_STRING}/{@code NLA_STRING}). */
  public MessageBuilder string(int attrType, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    attributeHeader(attrType, b.length + 1);
    buf.put(b).put((byte) 0);
    pad();
    return this;
  }

  /** A binary attribute. */
  public MessageBuilder bytes(int attrType, byte[] value) {
    attributeHeader(attrType, value.length);
    buf.put(value);
    pad();
    return this;
  }

  /** A flag attribute (no value). */
  public MessageBuilder flag(int attrType) {
    attributeHeader(attrType, 0);
    return this;
  }

  /**
   * Opens a nested attribute with {@code NLA_F_NESTED} set; close it with {@link #endNested(int)}
   * passing the returned mark.
   */
  public int beginNested(int attrType) {
    int mark = buf.position();
    attributeHeader(attrType | Netlink.NLA_F_NESTED, 0);
    nestDepth++;
    return mark;
  }

  public MessageBuilder endNested(int mark) {
    if (nestDepth == 0) {
      throw new IllegalStateException("endNested without beginNested");
    }
    nestDepth--;
    int len = buf.position() - mark;
    if (len > 0xffff) {
      throw new IllegalArgumentException("nested attribute too long: " + len);
    }
    buf.putShort(mark, (short) len);
    return this;
  }

  /** The encoded length so far (header included). */
  public int length() {
    return buf.position();
  }

  /**
   * The finished message with {@code sequence} and {@code portId} in its header, as a new buffer
   * positioned at 0 in native byte order. The builder stays usable (a dump may be resent).
   */
  public ByteBuffer build(int sequence, int portId) {
    if (nestDepth != 0) {
      throw new IllegalStateException(nestDepth + " nested attribute(s) not closed");
    }
    int len = buf.position();
    ByteBuffer out = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
    out.put(buf.array(), 0, len).flip();
    out.putInt(0, len);
    out.putShort(4, (short) type);
    out.putShort(6, (short) flags);
    out.putInt(8, sequence);
    out.putInt(12, portId);
    return out;
  }
}
