package io.ha4j.testkit.ipvs;

import static io.ha4j.testkit.ipvs.IpvsUapi.*;

import io.ha4j.linux.Errno;
import io.ha4j.netlink.Attributes;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Answers one netlink request as the kernel does: the generic netlink controller's family lookup
 * and the IPVS family's commands, their attributes decoded (with the policy's EINVAL) and carried
 * out on the {@link IpvsTable}, the answer encoded by {@link IpvsReplies}.
 */
final class IpvsRequests {

  private static final String POLICY = "Attribute failed policy validation";

  private final IpvsTable table;
  private final IpvsReplies replies;
  private boolean ipvsLoaded = true;

  IpvsRequests(IpvsTable table, IpvsReplies replies) {
    this.table = table;
    this.replies = replies;
  }

  /** Without ip_vs the controller knows no IPVS family, and its messages get ENOENT. */
  void ipvsLoaded(boolean loaded) {
    this.ipvsLoaded = loaded;
  }

  /** Adds the replies to {@code m} to {@code out}: its answer or error, then the ack if asked. */
  void handle(NetlinkMessage m, List<ByteBuffer> out) {
    if (m.type() < Netlink.NLMSG_MIN_TYPE) {
      // netlink_rcv_skb acks a control message (an NLMSG_NOOP fence) itself, before any family
      if ((m.flags() & Netlink.F_ACK) != 0) {
        out.add(replies.error(m, 0, null));
      }
      return;
    }
    boolean dump = (m.flags() & Netlink.F_DUMP) == Netlink.F_DUMP;
    try {
      if (m.type() == Netlink.GENL_ID_CTRL) {
        out.add(controller(m));
      } else if (m.type() == replies.familyId() && ipvsLoaded) {
        if (m.payload().remaining() < Netlink.GENL_HEADER_LENGTH) {
          throw new KernelError(Errno.EINVAL, null);
        }
        if (dump) {
          dump(m, out);
          return; // a dump ends with NLMSG_DONE, not an ack
        }
        ipvs(m, out);
      } else {
        throw new KernelError(Errno.ENOENT, null); // genetlink: no such family
      }
    } catch (KernelError e) {
      out.add(replies.error(m, e.errno.number(), e.text));
      return;
    } catch (NetlinkException e) {
      // Attribute lengths the policy rejects.
      out.add(replies.error(m, Errno.EINVAL.number(), POLICY));
      return;
    }
    if ((m.flags() & Netlink.F_ACK) != 0) {
      out.add(replies.error(m, 0, null));
    }
  }

  private ByteBuffer controller(NetlinkMessage m) throws KernelError {
    if (m.genlCommand() != Netlink.CTRL_CMD_GETFAMILY) {
      throw new KernelError(Errno.EOPNOTSUPP, null);
    }
    Attributes a = m.attributes(Netlink.GENL_HEADER_LENGTH);
    if (!a.has(Netlink.CTRL_ATTR_FAMILY_NAME)) {
      throw new KernelError(Errno.EINVAL, null);
    }
    String name = a.string(Netlink.CTRL_ATTR_FAMILY_NAME);
    int id;
    if (name.equals("nlctrl")) {
      id = Netlink.GENL_ID_CTRL;
    } else if (name.equals("IPVS") && ipvsLoaded) {
      id = replies.familyId();
    } else {
      throw new KernelError(Errno.ENOENT, null);
    }
    return replies.family(m, name, id);
  }

  private void ipvs(NetlinkMessage m, List<ByteBuffer> out) throws KernelError {
    int cmd = m.genlCommand();
    Attributes a = m.attributes(Netlink.GENL_HEADER_LENGTH);
    switch (cmd) {
      case CMD_GET_INFO -> out.add(replies.info(m));
      case CMD_GET_CONFIG -> out.add(replies.timeouts(m, table.timeouts()));
      case CMD_SET_CONFIG -> table.setTimeouts(a.u32(A_TCP, 0), a.u32(A_TCP_FIN, 0), a.u32(A_UDP, 0));
      case CMD_FLUSH -> table.flush();
      case CMD_ZERO -> {
        if (a.has(A_SERVICE)) {
          table.zero(table.existing(service(a.nested(A_SERVICE), false)));
        } else {
          table.zeroAll();
        }
      }
      case CMD_NEW_DAEMON -> newDaemon(a);
      case CMD_DEL_DAEMON -> {
        if (!a.has(A_DAEMON) || !a.nested(A_DAEMON).has(Y_STATE)) {
          throw new KernelError(Errno.EINVAL, null);
        }
        table.deleteDaemon(a.nested(A_DAEMON).u32(Y_STATE));
      }
      case CMD_GET_SERVICE -> {
        KernelService s = table.existing(service(required(a, A_SERVICE), false));
        out.add(replies.to(m, replies.service(s)));
      }
      case CMD_NEW_SERVICE -> table.newService(service(required(a, A_SERVICE), true));
      case CMD_SET_SERVICE -> table.editService(service(required(a, A_SERVICE), true));
      case CMD_DEL_SERVICE -> table.deleteService(service(required(a, A_SERVICE), false));
      case CMD_NEW_DEST, CMD_SET_DEST, CMD_DEL_DEST -> destCommand(cmd, required(a, A_SERVICE), required(a, A_DEST));
      default -> throw new KernelError(Errno.EOPNOTSUPP, null);
    }
  }

  private static Attributes required(Attributes a, int type) throws KernelError {
    if (!a.has(type)) {
      throw new KernelError(Errno.EINVAL, null);
    }
    return a.nested(type);
  }

  /** ip_vs_genl_parse_service: the lookup key; {@code full} also needs scheduler, flags, timeout, netmask. */
  private static KernelService service(Attributes s, boolean full) throws KernelError {
    if (!(s.has(S_AF) && (s.has(S_FWMARK) || (s.has(S_PORT) && s.has(S_PROTOCOL) && s.has(S_ADDR))))) {
      throw new KernelError(Errno.EINVAL, null);
    }
    KernelService out = new KernelService();
    out.af = s.u16(S_AF);
    if (out.af != AF_INET && out.af != AF_INET6) {
      throw new KernelError(Errno.EAFNOSUPPORT, null);
    }
    if (s.has(S_FWMARK) && s.u32(S_FWMARK) != 0) {
      out.fwmark = s.u32(S_FWMARK);
    } else {
      out.protocol = s.u16(S_PROTOCOL);
      out.addr = address(s.bytes(S_ADDR, -1), out.af);
      out.port = s.u16be(S_PORT);
    }
    if (full) {
      if (!(s.has(S_SCHED) && s.has(S_FLAGS) && s.has(S_TIMEOUT) && s.has(S_NETMASK))) {
        throw new KernelError(Errno.EINVAL, null);
      }
      out.scheduler = s.string(S_SCHED);
      out.pe = s.has(S_PE) ? s.string(S_PE) : "";
      byte[] f = s.bytes(S_FLAGS, -1);
      if (f.length != 8) {
        throw new KernelError(Errno.EINVAL, POLICY);
      }
      ByteBuffer fb = ByteBuffer.wrap(f).order(ByteOrder.nativeOrder());
      out.flags = fb.getInt(0);
      out.netmask = s.u32(S_NETMASK); // raw: __be32 mask for IPv4, prefix length for IPv6
      out.flagsMask = fb.getInt(4);
      out.timeout = s.u32(S_TIMEOUT);
    }
    return out;
  }

  /** An address attribute as the kernel's {@code union nf_inet_addr}: 16 bytes, IPv4 in the first 4. */
  private static byte[] address(byte[] raw, int af) throws KernelError {
    if (raw.length > 16) {
      throw new KernelError(Errno.EINVAL, POLICY);
    }
    byte[] addr = Arrays.copyOf(raw, 16);
    if (af == AF_INET) {
      Arrays.fill(addr, 4, 16, (byte) 0);
    }
    return addr;
  }

  /** ip_vs_genl_parse_dest, in the kernel's order: the service exists, then the values, then the destination. */
  private void destCommand(int cmd, Attributes svcAttrs, Attributes d) throws KernelError {
    KernelService svc = table.existing(service(svcAttrs, false));
    if (!(d.has(D_ADDR) && d.has(D_PORT))) {
      throw new KernelError(Errno.EINVAL, null);
    }
    boolean full = cmd != CMD_DEL_DEST;
    if (full && !(d.has(D_FWD) && d.has(D_WEIGHT) && d.has(D_UTHRESH) && d.has(D_LTHRESH))) {
      throw new KernelError(Errno.EINVAL, null);
    }
    KernelDest u = new KernelDest();
    u.af = d.u16(D_AF, svc.af);
    if (u.af != AF_INET && u.af != AF_INET6) {
      throw new KernelError(Errno.EAFNOSUPPORT, null);
    }
    u.addr = address(d.bytes(D_ADDR, -1), u.af);
    u.port = d.u16be(D_PORT);
    if (!full) {
      table.deleteDest(svc, u);
      return;
    }
    u.fwd = d.u32(D_FWD) & 0x7;
    u.weight = d.u32(D_WEIGHT);
    u.upper = d.u32(D_UTHRESH);
    u.lower = d.u32(D_LTHRESH);
    u.tunType = d.u8(D_TUN_TYPE, 0);
    u.tunPort = d.u16be(D_TUN_PORT, 0);
    u.tunFlags = d.u16(D_TUN_FLAGS, 0);
    if (cmd == CMD_NEW_DEST) {
      table.newDest(svc, u);
    } else {
      table.editDest(svc, u);
    }
  }

  private void newDaemon(Attributes top) throws KernelError {
    Attributes d = required(top, A_DAEMON);
    if (!(d.has(Y_STATE) && d.has(Y_IFN) && d.has(Y_SYNCID))) {
      throw new KernelError(Errno.EINVAL, null);
    }
    int state = d.u32(Y_STATE);
    if (state != 1 && state != 2) {
      throw new KernelError(Errno.EINVAL, null);
    }
    table.newDaemon(state, () -> {
      byte[] group = d.has(Y_GROUP6) ? d.bytes(Y_GROUP6, 16)
          : d.has(Y_GROUP) ? d.bytes(Y_GROUP, 4) : new byte[] {(byte) 224, 0, 0, 81};
      return new KernelDaemon(state, d.string(Y_IFN), d.u32(Y_SYNCID) & 0xff, d.u16(Y_MAXLEN, 1472),
          group, d.u16(Y_PORT, 8848), d.u8(Y_TTL, 1));
    });
  }

  /** A dump's messages; a bad key in a dump request ends the dump early, with nothing in it. */
  private void dump(NetlinkMessage m, List<ByteBuffer> out) {
    List<MessageBuilder> parts = new ArrayList<>();
    int cmd = m.genlCommand();
    try {
      Attributes a = m.attributes(Netlink.GENL_HEADER_LENGTH);
      switch (cmd) {
        case CMD_GET_SERVICE -> table.services().forEach(s -> parts.add(replies.service(s)));
        case CMD_GET_DEST -> {
          KernelService svc = a.has(A_SERVICE) ? table.find(service(a.nested(A_SERVICE), false)) : null;
          if (svc != null) {
            svc.dests.values().forEach(d -> parts.add(replies.dest(d)));
          }
        }
        case CMD_GET_DAEMON -> table.daemons().forEach(d -> parts.add(replies.daemon(d)));
        default -> {
          out.add(replies.error(m, Errno.EOPNOTSUPP.number(), null));
          return;
        }
      }
    } catch (KernelError e) {
      parts.clear();
    } catch (NetlinkException e) {
      out.add(replies.error(m, Errno.EINVAL.number(), POLICY));
      return;
    }
    replies.dump(m, parts, out);
  }
}
