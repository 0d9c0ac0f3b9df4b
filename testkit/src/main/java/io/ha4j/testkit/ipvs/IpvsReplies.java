package io.ha4j.testkit.ipvs;

import static io.ha4j.testkit.ipvs.IpvsUapi.*;

import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Encodes the fake kernel's answers to one socket: the messages of the table's entries, acks and
 * errors as a socket with {@code NETLINK_CAP_ACK} and {@code NETLINK_EXT_ACK} gets them, and dumps
 * packed into datagrams of about one page as {@code netlink_dump} packs them.
 *
 * @param portId the socket's port id, which replies are addressed to
 * @param familyId the IPVS family's id
 * @param dumpDatagram the most bytes of dump messages per datagram
 */
record IpvsReplies(int portId, int familyId, int dumpDatagram) {

  /** {@code msg} as the reply to {@code request}: its sequence number, addressed to the socket. */
  ByteBuffer to(NetlinkMessage request, MessageBuilder msg) {
    return msg.build(request.sequence(), portId);
  }

  /** The controller's {@code CTRL_CMD_NEWFAMILY} for the family {@code name} with {@code id}. */
  ByteBuffer family(NetlinkMessage request, String name, int id) {
    return to(request, MessageBuilder.genl(Netlink.GENL_ID_CTRL, 0, Netlink.CTRL_CMD_NEWFAMILY, 2)
        .string(Netlink.CTRL_ATTR_FAMILY_NAME, name)
        .u16(Netlink.CTRL_ATTR_FAMILY_ID, id)
        .u32(Netlink.CTRL_ATTR_VERSION, 1)
        .u32(Netlink.CTRL_ATTR_HDRSIZE, 0)
        .u32(Netlink.CTRL_ATTR_MAXATTR, id == familyId ? 6 : 10));
  }

  ByteBuffer info(NetlinkMessage request) {
    return to(request, reply(CMD_SET_INFO).u32(1, VERSION).u32(2, CONN_TAB_SIZE));
  }

  ByteBuffer timeouts(NetlinkMessage request, IpvsTable.Timeouts t) {
    return to(request, reply(CMD_SET_CONFIG).u32(A_TCP, t.tcp()).u32(A_TCP_FIN, t.tcpFin()).u32(A_UDP, t.udp()));
  }

  private MessageBuilder reply(int command) {
    return MessageBuilder.genl(familyId, 0, command, 1);
  }

  MessageBuilder service(KernelService s) {
    MessageBuilder b = reply(CMD_NEW_SERVICE);
    int nest = b.beginNested(A_SERVICE);
    b.u16(S_AF, s.af);
    if (s.fwmark != 0) {
      b.u32(S_FWMARK, s.fwmark);
    } else {
      b.u16(S_PROTOCOL, s.protocol);
      b.bytes(S_ADDR, s.addr);
      b.u16be(S_PORT, s.port);
    }
    b.string(S_SCHED, s.scheduler);
    if (!s.pe.isEmpty()) {
      b.string(S_PE, s.pe);
    }
    ByteBuffer flags = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(s.flags).putInt(-1);
    b.bytes(S_FLAGS, flags.array());
    b.u32(S_TIMEOUT, s.timeout);
    b.u32(S_NETMASK, s.netmask);
    stats(b, S_STATS, S_STATS64, s.stats);
    b.endNested(nest);
    return b;
  }

  MessageBuilder dest(KernelDest d) {
    MessageBuilder b = reply(CMD_NEW_DEST);
    int nest = b.beginNested(A_DEST);
    b.bytes(D_ADDR, d.addr);
    b.u16be(D_PORT, d.port);
    b.u32(D_FWD, d.fwd);
    b.u32(D_WEIGHT, d.weight);
    b.u8(D_TUN_TYPE, d.tunType);
    b.u16be(D_TUN_PORT, d.tunPort);
    b.u16(D_TUN_FLAGS, d.tunFlags);
    b.u32(D_UTHRESH, d.upper);
    b.u32(D_LTHRESH, d.lower);
    b.u32(D_ACTIVE, d.active);
    b.u32(D_INACT, d.inactive);
    b.u32(D_PERSIST, d.persistent);
    b.u16(D_AF, d.af);
    stats(b, D_STATS, D_STATS64, d.stats);
    b.endNested(nest);
    return b;
  }

  MessageBuilder daemon(KernelDaemon d) {
    MessageBuilder b = reply(CMD_NEW_DAEMON);
    int nest = b.beginNested(A_DAEMON);
    b.u32(Y_STATE, d.state());
    b.string(Y_IFN, d.ifname());
    b.u32(Y_SYNCID, d.syncId());
    b.u16(Y_MAXLEN, d.maxLen());
    b.u16(Y_PORT, d.port()); // host order in the kernel
    b.u8(Y_TTL, d.ttl());
    if (d.group().length == 16) {
      b.bytes(Y_GROUP6, d.group());
    } else {
      b.bytes(Y_GROUP, d.group());
    }
    b.endNested(nest);
    return b;
  }

  private static void stats(MessageBuilder b, int stats32, int stats64, long[] v) {
    int n = b.beginNested(stats32);
    for (int i = 0; i < 10; i++) {
      if (i == 3 || i == 4) {
        b.u64(i + 1, v[i]);
      } else {
        b.u32(i + 1, (int) v[i]);
      }
    }
    b.endNested(n);
    n = b.beginNested(stats64);
    for (int i = 0; i < 10; i++) {
      b.u64(i + 1, v[i]);
    }
    b.endNested(n);
  }

  /**
   * Adds the dump of {@code parts} to {@code replies}: as many messages per datagram as fit in one
   * page, as netlink_dump does, then {@code NLMSG_DONE} in a datagram of its own.
   */
  void dump(NetlinkMessage request, List<MessageBuilder> parts, List<ByteBuffer> replies) {
    ByteBuffer current = null;
    for (MessageBuilder part : parts) {
      ByteBuffer b = to(request, part.addFlags(Netlink.F_MULTI));
      int len = Netlink.align(b.remaining());
      if (current != null && current.remaining() < len) {
        replies.add(current.flip());
        current = null;
      }
      if (current == null) {
        current = ByteBuffer.allocate(Math.max(dumpDatagram, len)).order(ByteOrder.nativeOrder());
      }
      current.put(b);
      current.position(Math.min(current.limit(), Netlink.align(current.position())));
    }
    if (current != null) {
      replies.add(current.flip());
    }
    replies.add(to(request, new MessageBuilder(Netlink.NLMSG_DONE, Netlink.F_MULTI).putU32(0)));
  }

  /** {@code NLMSG_ERROR} (an ack when {@code errno} is 0) carrying only the request's header. */
  ByteBuffer error(NetlinkMessage req, int errno, @Nullable String text) {
    int flags = Netlink.F_CAPPED | (text != null ? Netlink.F_ACK_TLVS : 0);
    MessageBuilder b = new MessageBuilder(Netlink.NLMSG_ERROR, flags).putU32(-errno);
    b.putU32(Netlink.HEADER_LENGTH + req.payload().remaining()).putU16(req.type()).putU16(req.flags())
        .putU32(req.sequence()).putU32(req.portId());
    if (text != null) {
      b.string(Netlink.NLMSGERR_ATTR_MSG, text);
    }
    return b.build(req.sequence(), portId);
  }
}
