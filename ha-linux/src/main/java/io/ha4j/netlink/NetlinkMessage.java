package io.ha4j.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One decoded netlink message: the {@code nlmsghdr} fields and the payload after the header
 * (family header plus attributes), as a read-only buffer in native byte order.
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, ByteBuffer payload) {

  public NetlinkMessage {
    Objects.requireNonNull(payload, "payload");
    payload = payload.slice().order(ByteOrder.nativeOrder()).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
  }

  /**
   * Splits a received datagram into its messages, checking every length: a message shorter than
   * its header, longer than what is left, or a datagram with trailing bytes is a protocol error.
   */
  public static List<NetlinkMessage> parseAll(ByteBuffer datagram) {
    ByteBuffer b = datagram.duplicate().order(ByteOrder.nativeOrder());
    List<NetlinkMessage> out = new ArrayList<>();
    while (b.remaining() > 0) {
      if (b.remaining() < Netlink.HEADER_LENGTH) {
        throw NetlinkException.protocol("truncated netlink header: " + b.remaining() + " bytes left");
      }
      int start = b.position();
      int len = b.getInt(start);
      if (len < Netlink.HEADER_LENGTH || len > b.remaining()) {
        throw NetlinkException.protocol(
            "bad nlmsg_len " + Integer.toUnsignedString(len) + " with " + b.remaining() + " bytes left");
      }
      int type = Short.toUnsignedInt(b.getShort(start + 4));
      int flags = Short.toUnsignedInt(b.getShort(start + 6));
      int seq = b.getInt(start + 8);
      int pid = b.getInt(start + 12);
      ByteBuffer payload = b.duplicate().position(start + Netlink.HEADER_LENGTH).limit(start + len);
      out.add(new NetlinkMessage(type, flags, seq, pid, payload));
      // The last message may omit its alignment padding.
      b.position(Math.min(b.limit(), start + Netlink.align(len)));
    }
    return out;
  }

  /** The payload after a family header of {@code headerLength} bytes, for {@link Attributes#parse}. */
  public ByteBuffer afterHeader(int headerLength) {
    if (payload.remaining() < headerLength) {
      throw NetlinkException.protocol("payload of " + payload.remaining()
          + " bytes is shorter than its " + headerLength + "-byte family header");
    }
    return payload.duplicate().position(payload.position() + headerLength).slice().order(ByteOrder.nativeOrder());
  }

  /** The generic netlink command ({@code genlmsghdr.cmd}). */
  public int genlCommand() {
    if (payload.remaining() < Netlink.GENL_HEADER_LENGTH) {
      throw NetlinkException.protocol("generic netlink message without genlmsghdr");
    }
    return Byte.toUnsignedInt(payload.get(payload.position()));
  }

  /** The attributes after a family header of {@code headerLength} bytes. */
  public Attributes attributes(int headerLength) {
    return Attributes.parse(afterHeader(headerLength));
  }

  /** Whether this message is {@code NLMSG_ERROR} (an error or an ack). */
  public boolean isError() {
    return type == Netlink.NLMSG_ERROR;
  }

  /** Whether this message is {@code NLMSG_DONE}. */
  public boolean isDone() {
    return type == Netlink.NLMSG_DONE;
  }
}
