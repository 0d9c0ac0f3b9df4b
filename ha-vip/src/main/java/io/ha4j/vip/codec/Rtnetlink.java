package io.ha4j.vip.codec;

import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkMessage;
import java.nio.ByteBuffer;

/**
 * NETLINK_ROUTE numbers (linux/rtnetlink.h) on top of the netlink core's codec, and the kernel's
 * way of answering a request, for fakes.
 */
public final class Rtnetlink {

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

  /** RTMGRP_LINK multicast group bit. */
  public static final int RTMGRP_LINK = 0x1;
  /** RTMGRP_IPV4_IFADDR multicast group bit. */
  public static final int RTMGRP_IPV4_IFADDR = 0x10;
  /** RTMGRP_IPV6_IFADDR multicast group bit. */
  public static final int RTMGRP_IPV6_IFADDR = 0x100;

  private Rtnetlink() {}

  /**
   * The NLMSG_ERROR message the kernel answers {@code request} with: {@code errno} 0 is an ack that
   * echoes only the request's header (NLM_F_CAPPED), an error echoes the whole request (as Linux
   * does for a socket without NETLINK_CAP_ACK).
   */
  public static ByteBuffer error(NetlinkMessage request, int errno, int portId) {
    boolean ack = errno == 0;
    MessageBuilder m = new MessageBuilder(Netlink.NLMSG_ERROR, ack ? Netlink.F_CAPPED : 0);
    m.putU32(-errno);
    m.putU32(Netlink.HEADER_LENGTH + request.payload().remaining());
    m.putU16(request.type());
    m.putU16(request.flags());
    m.putU32(request.sequence());
    m.putU32(request.portId());
    if (!ack) {
      byte[] p = new byte[request.payload().remaining()];
      request.payload().duplicate().get(p);
      m.putBytes(p);
    }
    return m.build(request.sequence(), portId);
  }

  /** NLM_F_DUMP_FILTERED: the kernel applied the dump request's filter (e.g. its ifindex). */
  public static final int F_DUMP_FILTERED = 0x20;

  /** NLMSG_DONE ending a dump; {@code filtered} as the kernel marks a dump it filtered by interface. */
  public static ByteBuffer done(int sequence, int portId, boolean filtered) {
    return new MessageBuilder(Netlink.NLMSG_DONE, Netlink.F_MULTI | (filtered ? F_DUMP_FILTERED : 0))
        .putU32(0).build(sequence, portId);
  }
}
