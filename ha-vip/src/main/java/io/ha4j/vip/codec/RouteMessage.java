package io.ha4j.vip.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One NETLINK_ROUTE message: {@code struct nlmsghdr} (linux/netlink.h) and its payload, in host
 * byte order. A datagram may carry several of them (dumps).
 *
 * @param type RTM_* or NLMSG_* type
 * @param flags NLM_F_* flags
 * @param sequence nlmsg_seq
 * @param portId nlmsg_pid
 * @param payload the bytes after the header (read-only; its position is 0)
 */
public record RouteMessage(int type, int flags, int sequence, int portId, ByteBuffer payload) {

  /** NLMSG_ERROR: an ack (error 0) or an error. */
  public static final int NLMSG_ERROR = 2;
  /** NLMSG_DONE: the end of a dump. */
  public static final int NLMSG_DONE = 3;
  /** RTM_NEWLINK. */
  public static final int RTM_NEWLINK = 16;
  /** RTM_DELLINK. */
  public static final int RTM_DELLINK = 17;
  /** RTM_GETLINK. */
  public static final int RTM_GETLINK = 18;
  /** RTM_NEWADDR. */
  public static final int RTM_NEWADDR = 20;
  /** RTM_DELADDR. */
  public static final int RTM_DELADDR = 21;
  /** RTM_GETADDR. */
  public static final int RTM_GETADDR = 22;

  /** NLM_F_REQUEST. */
  public static final int NLM_F_REQUEST = 0x1;
  /** NLM_F_MULTI: part of a multi-part reply. */
  public static final int NLM_F_MULTI = 0x2;
  /** NLM_F_ACK: ask for an acknowledgement. */
  public static final int NLM_F_ACK = 0x4;
  /** NLM_F_DUMP (ROOT | MATCH). */
  public static final int NLM_F_DUMP = 0x300;
  /** NLM_F_EXCL: fail if it exists (EEXIST). */
  public static final int NLM_F_EXCL = 0x200;
  /** NLM_F_CREATE. */
  public static final int NLM_F_CREATE = 0x400;
  /** NLM_F_CAPPED on an ack: the request is not echoed in full. */
  public static final int NLM_F_CAPPED = 0x100;
  /** NLM_F_ACK_TLVS on an ack: extended-ack attributes follow. */
  public static final int NLM_F_ACK_TLVS = 0x200;

  /** RTMGRP_LINK multicast group bit. */
  public static final int RTMGRP_LINK = 0x1;
  /** RTMGRP_IPV4_IFADDR multicast group bit. */
  public static final int RTMGRP_IPV4_IFADDR = 0x10;
  /** RTMGRP_IPV6_IFADDR multicast group bit. */
  public static final int RTMGRP_IPV6_IFADDR = 0x100;

  /** Bytes of nlmsghdr. */
  public static final int HEADER = 16;
  private static final int NLMSGERR_ATTR_MSG = 1;

  public RouteMessage {
    Objects.requireNonNull(payload, "payload");
    if (type < 0 || type > 0xffff) {
      throw new IllegalArgumentException("type must be 0..65535, was " + type);
    }
    if (flags < 0 || flags > 0xffff) {
      throw new IllegalArgumentException("flags must be 0..65535, was " + flags);
    }
    payload = payload.slice().asReadOnlyBuffer().order(ByteOrder.nativeOrder());
  }

  /** A message around an address payload. */
  public static RouteMessage of(int type, int flags, int sequence, AddressMessage body) {
    ByteBuffer b = ByteBuffer.allocate(body.length()).order(ByteOrder.nativeOrder());
    body.write(b);
    return new RouteMessage(type, flags, sequence, 0, b.flip());
  }

  /** A message around a link payload. */
  public static RouteMessage of(int type, int flags, int sequence, LinkMessage body) {
    ByteBuffer b = ByteBuffer.allocate(body.length()).order(ByteOrder.nativeOrder());
    body.write(b);
    return new RouteMessage(type, flags, sequence, 0, b.flip());
  }

  /**
   * An NLMSG_ERROR message answering {@code request} with {@code errno} (0 = ack): as the kernel
   * does, an ack echoes only the request's header (NLM_F_CAPPED), an error echoes it whole.
   */
  public static RouteMessage error(RouteMessage request, int errno, int portId) {
    boolean ack = errno == 0;
    byte[] echoed = request.toBytes();
    int echoLength = ack ? HEADER : echoed.length;
    ByteBuffer b = ByteBuffer.allocate(4 + echoLength).order(ByteOrder.nativeOrder());
    b.putInt(-errno);
    b.put(echoed, 0, echoLength);
    return new RouteMessage(NLMSG_ERROR, ack ? NLM_F_CAPPED : 0, request.sequence(), portId, b.flip());
  }

  /** The total length: header plus payload. */
  public int length() {
    return HEADER + payload.remaining();
  }

  /** The whole message. */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(RtAttributes.align(length())).order(ByteOrder.nativeOrder());
    write(b);
    return b.array();
  }

  /** Writes the message, padded to 4 bytes. */
  public void write(ByteBuffer out) {
    ByteOrder saved = out.order();
    out.order(ByteOrder.nativeOrder());
    out.putInt(length());
    out.putShort((short) type);
    out.putShort((short) flags);
    out.putInt(sequence);
    out.putInt(portId);
    out.put(payload.duplicate());
    for (int i = length(); i < RtAttributes.align(length()); i++) {
      out.put((byte) 0);
    }
    out.order(saved);
  }

  /**
   * Splits a datagram into messages.
   *
   * @throws MalformedFrameException if a length field is impossible
   */
  public static List<RouteMessage> readAll(ByteBuffer datagram) {
    ByteBuffer in = datagram.duplicate().order(ByteOrder.nativeOrder());
    List<RouteMessage> out = new ArrayList<>();
    while (in.remaining() >= HEADER) {
      int start = in.position();
      int len = in.getInt();
      int type = in.getShort() & 0xffff;
      int flags = in.getShort() & 0xffff;
      int seq = in.getInt();
      int pid = in.getInt();
      if (len < HEADER || start + len > in.limit()) {
        throw new MalformedFrameException("netlink message length " + len + " does not fit in " + (in.limit() - start) + " bytes");
      }
      out.add(new RouteMessage(type, flags, seq, pid, in.slice(start + HEADER, len - HEADER)));
      in.position(Math.min(in.limit(), start + RtAttributes.align(len)));
    }
    return out;
  }

  /** The payload as an address message. */
  public AddressMessage address() {
    return AddressMessage.read(payload.duplicate().order(ByteOrder.nativeOrder()));
  }

  /** The payload as a link message. */
  public LinkMessage link() {
    return LinkMessage.read(payload.duplicate().order(ByteOrder.nativeOrder()));
  }

  /** For NLMSG_ERROR: the positive errno, 0 for an ack. */
  public int errno() {
    requireError();
    return -payload.getInt(0);
  }

  /** For NLMSG_ERROR: the echoed request header's type. */
  public int echoedType() {
    requireError();
    return payload.remaining() >= 4 + HEADER ? payload.getShort(8) & 0xffff : -1;
  }

  /** For NLMSG_ERROR with NLM_F_ACK_TLVS: the kernel's extended-ack text, else null. */
  public @Nullable String extendedAck() {
    requireError();
    if ((flags & NLM_F_ACK_TLVS) == 0 || payload.remaining() < 4 + HEADER) {
      return null;
    }
    int echoed = (flags & NLM_F_CAPPED) != 0 ? HEADER : payload.getInt(4);
    int at = 4 + RtAttributes.align(echoed);
    if (at >= payload.remaining()) {
      return null;
    }
    String[] msg = new String[1];
    ByteBuffer tlvs = payload.duplicate().order(ByteOrder.nativeOrder()).position(at);
    RtAttributes.forEach(tlvs, (t, v) -> {
      if (t == NLMSGERR_ATTR_MSG) {
        msg[0] = RtAttributes.string(v);
      }
    });
    return msg[0];
  }

  private void requireError() {
    if (type != NLMSG_ERROR || payload.remaining() < 4) {
      throw new IllegalStateException("not an NLMSG_ERROR message: type " + type);
    }
  }

  @Override
  public String toString() {
    return "nlmsg type " + type + " flags 0x" + Integer.toHexString(flags) + " seq " + sequence + " pid " + portId
        + " len " + length();
  }
}
