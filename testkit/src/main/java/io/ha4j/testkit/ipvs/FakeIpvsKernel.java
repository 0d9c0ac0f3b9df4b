package io.ha4j.testkit.ipvs;

import io.ha4j.netlink.Attributes;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkTransport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory Linux IPVS table behind a {@link NetlinkTransport}: it decodes the real encoded
 * requests (generic netlink controller and the IPVS family), keeps services and destinations with
 * the kernel's semantics and answers with encoded replies, so a client runs against it exactly as
 * against a socket.
 *
 * <p>Kernel behaviour reproduced (net/netfilter/ipvs/ip_vs_ctl.c, 6.x): EEXIST for a duplicate
 * service or destination, ESRCH for a missing service, ENOENT for a missing destination, unknown
 * scheduler or persistence engine, or unknown family, EINVAL for missing attributes or an IPv6
 * netmask outside 1..128, ERANGE when the lower threshold exceeds the upper, EINVAL for a GUE tunnel
 * without port; the {@code HASHED} flag on every service; new destinations listed first; sync daemon
 * defaults (224.0.0.81:8848, TTL 1, 1472 bytes); EINVAL for a sync daemon while a real server of the
 * other address family exists, and for adding one while a daemon runs; timeouts 900/120/300 with 0 meaning unchanged;
 * acks capped and errors carrying only the request's header ({@code NETLINK_CAP_ACK}); dumps split
 * into datagrams of about one page ({@code NLMSG_GOODSIZE}) and ended by {@code NLMSG_DONE} in a
 * datagram of its own; a destination dump for a missing service is empty, not an error.
 *
 * <p>Receiving never blocks: when no reply is queued, {@link #receive} fails with a timeout at
 * once. Faults are queued with {@link #inject(IpvsFault)} and hit the replies of the following
 * requests, one fault per request.
 */
public final class FakeIpvsKernel implements NetlinkTransport {

  /** The family id the fake's controller hands out for IPVS (the capture's value). */
  public static final int DEFAULT_FAMILY_ID = 0x20;
  /** {@code NLMSG_GOODSIZE} on a 4 KiB-page machine: a page less {@code skb_shared_info}. */
  public static final int DEFAULT_DUMP_DATAGRAM = 4096 - 320;
  /** Schedulers a stock kernel builds as modules (net/netfilter/ipvs/Kconfig). */
  public static final Set<String> STOCK_SCHEDULERS =
      Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos");

  private static final int ERANGE = 34;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int VERSION = 0x010201; // IP_VS_VERSION_CODE 1.2.1
  private static final int CONN_TAB_SIZE = 4096;

  // include/uapi/linux/ip_vs.h numbers, written out independently of the client's codec.
  private static final int CMD_NEW_SERVICE = 1, CMD_SET_SERVICE = 2, CMD_DEL_SERVICE = 3, CMD_GET_SERVICE = 4,
      CMD_NEW_DEST = 5, CMD_SET_DEST = 6, CMD_DEL_DEST = 7, CMD_GET_DEST = 8, CMD_NEW_DAEMON = 9,
      CMD_DEL_DAEMON = 10, CMD_GET_DAEMON = 11, CMD_SET_CONFIG = 12, CMD_GET_CONFIG = 13, CMD_SET_INFO = 14,
      CMD_GET_INFO = 15, CMD_ZERO = 16, CMD_FLUSH = 17;
  private static final int A_SERVICE = 1, A_DEST = 2, A_DAEMON = 3, A_TCP = 4, A_TCP_FIN = 5, A_UDP = 6;
  private static final int S_AF = 1, S_PROTOCOL = 2, S_ADDR = 3, S_PORT = 4, S_FWMARK = 5, S_SCHED = 6,
      S_FLAGS = 7, S_TIMEOUT = 8, S_NETMASK = 9, S_STATS = 10, S_PE = 11, S_STATS64 = 12;
  private static final int D_ADDR = 1, D_PORT = 2, D_FWD = 3, D_WEIGHT = 4, D_UTHRESH = 5, D_LTHRESH = 6,
      D_ACTIVE = 7, D_INACT = 8, D_PERSIST = 9, D_STATS = 10, D_AF = 11, D_STATS64 = 12, D_TUN_TYPE = 13,
      D_TUN_PORT = 14, D_TUN_FLAGS = 15;
  private static final int Y_STATE = 1, Y_IFN = 2, Y_SYNCID = 3, Y_MAXLEN = 4, Y_GROUP = 5, Y_GROUP6 = 6,
      Y_PORT = 7, Y_TTL = 8;
  private static final int F_HASHED = 0x2;
  private static final int TUN_GUE = 1;

  /** A kernel error while handling a request. */
  private static final class Errno extends Exception {
    private static final long serialVersionUID = 1L;
    final int errno;
    final @Nullable String text;

    Errno(int errno, @Nullable String text) {
      super(null, null, false, false);
      this.errno = errno;
      this.text = text;
    }
  }

  private static final class Service {
    int af;
    int protocol;
    byte[] addr = new byte[16];
    int port;
    int fwmark;
    String scheduler = "";
    String pe = "";
    int flags;
    int flagsMask; // of a request: which flag bits it sets
    int timeout;
    int netmask;
    long[] stats = new long[10];
    final LinkedHashMap<String, Dest> dests = new LinkedHashMap<>();

    String key() {
      return serviceKey(af, fwmark, protocol, addr, port);
    }
  }

  private static final class Dest {
    int af;
    byte[] addr = new byte[16];
    int port;
    int fwd;
    int weight;
    int upper;
    int lower;
    int tunType;
    int tunPort;
    int tunFlags;
    int active;
    int inactive;
    int persistent;
    long[] stats = new long[10];
  }

  private record Daemon(int state, String ifname, int syncId, int maxLen, byte[] group, int port, int ttl) {}

  private final int portId;
  private final int familyId;
  private final int dumpDatagram;
  private final Set<String> schedulers;
  private final LinkedHashMap<String, Service> services = new LinkedHashMap<>();
  private final Map<Integer, Daemon> daemons = new LinkedHashMap<>();
  private int tcpTimeout = 900;
  private int tcpFinTimeout = 120;
  private int udpTimeout = 300;
  private final Deque<ByteBuffer> queue = new ArrayDeque<>();
  private final Deque<ByteBuffer> delayed = new ArrayDeque<>();
  private final Deque<IpvsFault> faults = new ArrayDeque<>();
  private boolean overrun;
  private boolean ipvsLoaded = true;
  private long requests;

  /** A fake with the stock schedulers, family id 0x20 and page-sized dump datagrams. */
  public FakeIpvsKernel() {
    this(0x7e57, DEFAULT_FAMILY_ID, DEFAULT_DUMP_DATAGRAM, STOCK_SCHEDULERS);
  }

  /**
   * @param portId the port id replies are addressed to
   * @param familyId the id the controller hands out for {@code IPVS}
   * @param dumpDatagram the most bytes of dump messages per datagram (at least 512)
   * @param schedulers the scheduler names the kernel knows
   */
  public FakeIpvsKernel(int portId, int familyId, int dumpDatagram, Set<String> schedulers) {
    if (familyId < Netlink.NLMSG_MIN_TYPE || familyId == Netlink.GENL_ID_CTRL || familyId > 0xffff) {
      throw new IllegalArgumentException("familyId must be 0x11..0xffff, was " + familyId);
    }
    if (dumpDatagram < 512) {
      throw new IllegalArgumentException("dumpDatagram must be at least 512, was " + dumpDatagram);
    }
    this.portId = portId;
    this.familyId = familyId;
    this.dumpDatagram = dumpDatagram;
    this.schedulers = Set.copyOf(schedulers);
  }

  /** Makes the replies to the next request without a queued fault suffer {@code fault}. */
  public synchronized FakeIpvsKernel inject(IpvsFault fault) {
    faults.add(fault);
    return this;
  }

  /** Unloads or loads the ip_vs module: without it the controller has no IPVS family (ENOENT). */
  public synchronized FakeIpvsKernel ipvsLoaded(boolean loaded) {
    this.ipvsLoaded = loaded;
    return this;
  }

  /** Sets the counters of a service (as traffic would), for listing tests; conns, inpkts, outpkts, inbytes, outbytes, cps, inpps, outpps, inbps, outbps. */
  public synchronized void setServiceStats(String serviceKey, long... stats) {
    Service s = services.get(serviceKey);
    if (s == null) {
      throw new IllegalArgumentException("no service " + serviceKey + " in " + services.keySet());
    }
    s.stats = Arrays.copyOf(stats, 10);
  }

  /** Keys of the services in the table, as {@link #setServiceStats} takes them. */
  public synchronized List<String> serviceKeys() {
    return List.copyOf(services.keySet());
  }

  /** How many request messages the fake has handled. */
  public synchronized long requests() {
    return requests;
  }

  @Override
  public int portId() {
    return portId;
  }

  @Override
  public synchronized void send(ByteBuffer datagram) {
    List<NetlinkMessage> messages;
    try {
      messages = NetlinkMessage.parseAll(datagram);
    } catch (NetlinkException e) {
      return; // the kernel drops a datagram whose lengths do not add up
    }
    for (NetlinkMessage m : messages) {
      if ((m.flags() & Netlink.F_REQUEST) == 0) {
        continue;
      }
      requests++;
      List<ByteBuffer> replies = new ArrayList<>();
      handle(m, replies);
      deliver(replies);
    }
  }

  private void deliver(List<ByteBuffer> replies) {
    IpvsFault fault = faults.poll();
    if (fault == null) {
      queue.addAll(replies);
      return;
    }
    switch (fault) {
      case ENOBUFS -> overrun = true;
      case DELAY -> delayed.addAll(replies);
      case LOST_REPLY -> { }
      case TRUNCATED -> replies.forEach(r -> queue.add(r.duplicate().limit(r.limit() / 2).slice()));
      case CORRUPT -> replies.forEach(r -> {
        ByteBuffer c = ByteBuffer.allocate(r.remaining()).order(ByteOrder.nativeOrder()).put(r.duplicate()).flip();
        int at = c.limit() / 3;
        c.put(at, (byte) ~c.get(at));
        queue.add(c);
      });
    }
  }

  @Override
  public synchronized ByteBuffer receive(Duration timeout) {
    if (overrun) {
      overrun = false;
      throw new NetlinkException(NetlinkException.Kind.OVERRUN, Netlink.ENOBUFS,
          "fake kernel: receive queue overflowed", null, null);
    }
    ByteBuffer next = queue.poll();
    if (next == null) {
      if (!delayed.isEmpty()) {
        queue.addAll(delayed);
        delayed.clear();
      }
      throw new NetlinkException(NetlinkException.Kind.TIMEOUT, 0, "fake kernel: no reply within " + timeout, null, null);
    }
    return next.duplicate().order(ByteOrder.nativeOrder());
  }

  @Override
  public void close() {}

  // ---- request handling -----------------------------------------------------------------------

  private void handle(NetlinkMessage m, List<ByteBuffer> replies) {
    boolean dump = (m.flags() & Netlink.F_DUMP) == Netlink.F_DUMP;
    try {
      if (m.type() == Netlink.GENL_ID_CTRL) {
        controller(m, replies);
      } else if (m.type() == familyId && ipvsLoaded) {
        if (m.payload().remaining() < Netlink.GENL_HEADER_LENGTH) {
          throw new Errno(Netlink.EINVAL, null);
        }
        if (dump) {
          dump(m, replies);
          return; // a dump ends with NLMSG_DONE, not an ack
        }
        ipvs(m, replies);
      } else {
        throw new Errno(Netlink.ENOENT, null); // genetlink: no such family
      }
    } catch (Errno e) {
      replies.add(error(m, e.errno, e.text));
      return;
    } catch (NetlinkException e) {
      // Attribute lengths the policy rejects.
      replies.add(error(m, Netlink.EINVAL, "Attribute failed policy validation"));
      return;
    }
    if ((m.flags() & Netlink.F_ACK) != 0) {
      replies.add(error(m, 0, null));
    }
  }

  private void controller(NetlinkMessage m, List<ByteBuffer> replies) throws Errno {
    if (m.genlCommand() != Netlink.CTRL_CMD_GETFAMILY) {
      throw new Errno(Netlink.EOPNOTSUPP, null);
    }
    Attributes a = m.attributes(Netlink.GENL_HEADER_LENGTH);
    if (!a.has(Netlink.CTRL_ATTR_FAMILY_NAME)) {
      throw new Errno(Netlink.EINVAL, null);
    }
    String name = a.string(Netlink.CTRL_ATTR_FAMILY_NAME);
    int id;
    if (name.equals("nlctrl")) {
      id = Netlink.GENL_ID_CTRL;
    } else if (name.equals("IPVS") && ipvsLoaded) {
      id = familyId;
    } else {
      throw new Errno(Netlink.ENOENT, null);
    }
    MessageBuilder r = MessageBuilder.genl(Netlink.GENL_ID_CTRL, 0, Netlink.CTRL_CMD_NEWFAMILY, 2)
        .string(Netlink.CTRL_ATTR_FAMILY_NAME, name)
        .u16(Netlink.CTRL_ATTR_FAMILY_ID, id)
        .u32(Netlink.CTRL_ATTR_VERSION, 1)
        .u32(Netlink.CTRL_ATTR_HDRSIZE, 0)
        .u32(Netlink.CTRL_ATTR_MAXATTR, id == familyId ? 6 : 10);
    replies.add(r.build(m.sequence(), portId));
  }

  private MessageBuilder reply(int command) {
    return MessageBuilder.genl(familyId, 0, command, 1);
  }

  private void ipvs(NetlinkMessage m, List<ByteBuffer> replies) throws Errno {
    int cmd = m.genlCommand();
    Attributes a = m.attributes(Netlink.GENL_HEADER_LENGTH);
    switch (cmd) {
      case CMD_GET_INFO -> replies.add(reply(CMD_SET_INFO).u32(1, VERSION).u32(2, CONN_TAB_SIZE).build(m.sequence(), portId));
      case CMD_GET_CONFIG -> replies.add(reply(CMD_SET_CONFIG).u32(A_TCP, tcpTimeout).u32(A_TCP_FIN, tcpFinTimeout)
          .u32(A_UDP, udpTimeout).build(m.sequence(), portId));
      case CMD_SET_CONFIG -> {
        // ip_vs_set_timeout: 0 keeps the current value.
        int tcp = a.u32(A_TCP, 0);
        int fin = a.u32(A_TCP_FIN, 0);
        int udp = a.u32(A_UDP, 0);
        tcpTimeout = tcp != 0 ? tcp : tcpTimeout;
        tcpFinTimeout = fin != 0 ? fin : tcpFinTimeout;
        udpTimeout = udp != 0 ? udp : udpTimeout;
      }
      case CMD_FLUSH -> services.clear();
      case CMD_ZERO -> {
        if (a.has(A_SERVICE)) {
          Service s = existing(a.nested(A_SERVICE));
          zero(s);
        } else {
          services.values().forEach(FakeIpvsKernel::zero);
        }
      }
      case CMD_NEW_DAEMON -> newDaemon(a);
      case CMD_DEL_DAEMON -> {
        if (!a.has(A_DAEMON) || !a.nested(A_DAEMON).has(Y_STATE)) {
          throw new Errno(Netlink.EINVAL, null);
        }
        int state = a.nested(A_DAEMON).u32(Y_STATE);
        if (daemons.remove(state) == null) {
          throw new Errno(Netlink.ESRCH, null);
        }
      }
      case CMD_GET_SERVICE -> {
        Service s = existing(required(a, A_SERVICE));
        replies.add(serviceMessage(s, CMD_NEW_SERVICE).build(m.sequence(), portId));
      }
      case CMD_NEW_SERVICE, CMD_SET_SERVICE, CMD_DEL_SERVICE -> serviceCommand(cmd, required(a, A_SERVICE));
      case CMD_NEW_DEST, CMD_SET_DEST, CMD_DEL_DEST -> destCommand(cmd, required(a, A_SERVICE), required(a, A_DEST));
      default -> throw new Errno(Netlink.EOPNOTSUPP, null);
    }
  }

  private static Attributes required(Attributes a, int type) throws Errno {
    if (!a.has(type)) {
      throw new Errno(Netlink.EINVAL, null);
    }
    return a.nested(type);
  }

  private static void zero(Service s) {
    Arrays.fill(s.stats, 0);
    s.dests.values().forEach(d -> Arrays.fill(d.stats, 0));
  }

  private void newDaemon(Attributes top) throws Errno {
    Attributes d = required(top, A_DAEMON);
    if (!(d.has(Y_STATE) && d.has(Y_IFN) && d.has(Y_SYNCID))) {
      throw new Errno(Netlink.EINVAL, null);
    }
    int state = d.u32(Y_STATE);
    if (state != 1 && state != 2) {
      throw new Errno(Netlink.EINVAL, null);
    }
    if (daemons.containsKey(state)) {
      throw new Errno(Netlink.EEXIST, null);
    }
    // ip_vs_genl_new_daemon: the sync protocol cannot carry a real server of the other family
    // (observed on 6.1 ip_vs in the VM)
    for (Service svc : services.values()) {
      for (Dest dest : svc.dests.values()) {
        if (dest.af != svc.af) {
          throw new Errno(Netlink.EINVAL, null);
        }
      }
    }
    byte[] group = d.has(Y_GROUP6) ? d.bytes(Y_GROUP6, 16)
        : d.has(Y_GROUP) ? d.bytes(Y_GROUP, 4) : new byte[] {(byte) 224, 0, 0, 81};
    daemons.put(state, new Daemon(state, d.string(Y_IFN), d.u32(Y_SYNCID) & 0xff, d.u16(Y_MAXLEN, 1472),
        group, d.u16(Y_PORT, 8848), d.u8(Y_TTL, 1)));
  }

  /** ip_vs_genl_parse_service: the lookup key; {@code full} also needs scheduler, flags, timeout, netmask. */
  private static Service parseService(Attributes s, boolean full) throws Errno {
    if (!(s.has(S_AF) && (s.has(S_FWMARK) || (s.has(S_PORT) && s.has(S_PROTOCOL) && s.has(S_ADDR))))) {
      throw new Errno(Netlink.EINVAL, null);
    }
    Service out = new Service();
    out.af = s.u16(S_AF);
    if (out.af != AF_INET && out.af != AF_INET6) {
      throw new Errno(Netlink.EAFNOSUPPORT, null);
    }
    if (s.has(S_FWMARK) && s.u32(S_FWMARK) != 0) {
      out.fwmark = s.u32(S_FWMARK);
    } else {
      out.protocol = s.u16(S_PROTOCOL);
      byte[] raw = s.bytes(S_ADDR, -1);
      if (raw.length > 16) {
        throw new Errno(Netlink.EINVAL, "Attribute failed policy validation");
      }
      out.addr = Arrays.copyOf(raw, 16);
      if (out.af == AF_INET) {
        Arrays.fill(out.addr, 4, 16, (byte) 0);
      }
      out.port = s.u16be(S_PORT);
    }
    if (full) {
      if (!(s.has(S_SCHED) && s.has(S_FLAGS) && s.has(S_TIMEOUT) && s.has(S_NETMASK))) {
        throw new Errno(Netlink.EINVAL, null);
      }
      out.scheduler = s.string(S_SCHED);
      out.pe = s.has(S_PE) ? s.string(S_PE) : "";
      byte[] f = s.bytes(S_FLAGS, -1);
      if (f.length != 8) {
        throw new Errno(Netlink.EINVAL, "Attribute failed policy validation");
      }
      ByteBuffer fb = ByteBuffer.wrap(f).order(ByteOrder.nativeOrder());
      out.flags = fb.getInt(0);
      out.netmask = s.u32(S_NETMASK); // raw: __be32 mask for IPv4, prefix length for IPv6
      out.flagsMask = fb.getInt(4);
      out.timeout = s.u32(S_TIMEOUT);
    }
    return out;
  }

  private Service existing(Attributes s) throws Errno {
    Service key = parseService(s, false);
    Service found = services.get(key.key());
    if (found == null) {
      throw new Errno(Netlink.ESRCH, null);
    }
    return found;
  }

  private void checkNames(Service u) throws Errno {
    if (!u.scheduler.equals("none") && !schedulers.contains(u.scheduler)) {
      throw new Errno(Netlink.ENOENT, null); // "Scheduler module ip_vs_%s not found"
    }
    if (!u.pe.isEmpty() && !u.pe.equals("sip")) {
      throw new Errno(Netlink.ENOENT, null);
    }
    if (u.af == AF_INET6 && (u.netmask < 1 || u.netmask > 128)) {
      throw new Errno(Netlink.EINVAL, null);
    }
  }

  private void serviceCommand(int cmd, Attributes attrs) throws Errno {
    Service u = parseService(attrs, cmd == CMD_NEW_SERVICE || cmd == CMD_SET_SERVICE);
    Service svc = services.get(u.key());
    if (cmd == CMD_NEW_SERVICE) {
      if (svc != null) {
        throw new Errno(Netlink.EEXIST, null);
      }
      checkNames(u);
      u.flags = (u.flags & u.flagsMask) | F_HASHED;
      services.put(u.key(), u);
      return;
    }
    if (svc == null) {
      throw new Errno(Netlink.ESRCH, null);
    }
    if (cmd == CMD_DEL_SERVICE) {
      services.remove(svc.key());
      return;
    }
    checkNames(u);
    svc.flags = ((svc.flags & ~u.flagsMask) | (u.flags & u.flagsMask)) | F_HASHED;
    svc.scheduler = u.scheduler;
    svc.pe = u.pe;
    svc.timeout = u.timeout;
    svc.netmask = u.netmask;
  }

  private void destCommand(int cmd, Attributes svcAttrs, Attributes d) throws Errno {
    Service svc = existing(svcAttrs);
    if (!(d.has(D_ADDR) && d.has(D_PORT))) {
      throw new Errno(Netlink.EINVAL, null);
    }
    boolean full = cmd != CMD_DEL_DEST;
    if (full && !(d.has(D_FWD) && d.has(D_WEIGHT) && d.has(D_UTHRESH) && d.has(D_LTHRESH))) {
      throw new Errno(Netlink.EINVAL, null);
    }
    Dest u = new Dest();
    u.af = d.u16(D_AF, svc.af);
    if (u.af != AF_INET && u.af != AF_INET6) {
      throw new Errno(Netlink.EAFNOSUPPORT, null);
    }
    byte[] raw = d.bytes(D_ADDR, -1);
    if (raw.length > 16) {
      throw new Errno(Netlink.EINVAL, "Attribute failed policy validation");
    }
    u.addr = Arrays.copyOf(raw, 16);
    if (u.af == AF_INET) {
      Arrays.fill(u.addr, 4, 16, (byte) 0);
    }
    u.port = d.u16be(D_PORT);
    String key = destKey(u.af, u.addr, u.port);
    Dest existing = svc.dests.get(key);
    if (!full) {
      if (existing == null) {
        throw new Errno(Netlink.ENOENT, null);
      }
      svc.dests.remove(key);
      return;
    }
    u.fwd = d.u32(D_FWD) & 0x7;
    u.weight = d.u32(D_WEIGHT);
    u.upper = d.u32(D_UTHRESH);
    u.lower = d.u32(D_LTHRESH);
    u.tunType = d.u8(D_TUN_TYPE, 0);
    u.tunPort = d.u16be(D_TUN_PORT, 0);
    u.tunFlags = d.u16(D_TUN_FLAGS, 0);
    if (u.af != svc.af && (u.fwd != 2 || !daemons.isEmpty())) {
      // mixed families only through a tunnel, and not while a sync daemon runs (observed on 6.1)
      throw new Errno(Netlink.EINVAL, null);
    }
    // ip_vs_add_dest / ip_vs_edit_dest check these before looking the destination up.
    if (u.weight < 0) {
      throw new Errno(ERANGE, null);
    }
    if (Integer.compareUnsigned(u.lower, u.upper) > 0) {
      throw new Errno(ERANGE, null);
    }
    if (u.tunType == TUN_GUE && u.tunPort == 0) {
      throw new Errno(Netlink.EINVAL, null);
    }
    if (cmd == CMD_NEW_DEST) {
      if (existing != null) {
        throw new Errno(Netlink.EEXIST, null);
      }
      // list_add_rcu puts a new destination at the head of svc->destinations.
      LinkedHashMap<String, Dest> reordered = new LinkedHashMap<>();
      reordered.put(key, u);
      reordered.putAll(svc.dests);
      svc.dests.clear();
      svc.dests.putAll(reordered);
      return;
    }
    if (existing == null) {
      throw new Errno(Netlink.ENOENT, null);
    }
    u.active = existing.active;
    u.inactive = existing.inactive;
    u.persistent = existing.persistent;
    u.stats = existing.stats;
    svc.dests.put(key, u);
  }

  // ---- dumps -------------------------------------------------------------------------------

  private void dump(NetlinkMessage m, List<ByteBuffer> replies) {
    List<MessageBuilder> parts = new ArrayList<>();
    int cmd = m.genlCommand();
    try {
      Attributes a = m.attributes(Netlink.GENL_HEADER_LENGTH);
      switch (cmd) {
        case CMD_GET_SERVICE -> services.values().forEach(s -> parts.add(serviceMessage(s, CMD_NEW_SERVICE)));
        case CMD_GET_DEST -> {
          Service svc = a.has(A_SERVICE) ? services.get(parseService(a.nested(A_SERVICE), false).key()) : null;
          if (svc != null) {
            for (Dest d : svc.dests.values()) {
              parts.add(destMessage(d));
            }
          }
        }
        case CMD_GET_DAEMON -> daemons.values().forEach(d -> parts.add(daemonMessage(d)));
        default -> {
          replies.add(error(m, Netlink.EOPNOTSUPP, null));
          return;
        }
      }
    } catch (Errno e) {
      // A bad key in a dump request ends the dump early, with nothing in it.
      parts.clear();
    } catch (NetlinkException e) {
      replies.add(error(m, Netlink.EINVAL, "Attribute failed policy validation"));
      return;
    }
    // Pack as many messages per datagram as fit in one page, as netlink_dump does.
    ByteBuffer current = null;
    for (MessageBuilder part : parts) {
      ByteBuffer b = part.addFlags(Netlink.F_MULTI).build(m.sequence(), portId);
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
    MessageBuilder done = new MessageBuilder(Netlink.NLMSG_DONE, Netlink.F_MULTI).putU32(0);
    replies.add(done.build(m.sequence(), portId));
  }

  private MessageBuilder serviceMessage(Service s, int cmd) {
    MessageBuilder b = reply(cmd);
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

  private MessageBuilder destMessage(Dest d) {
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

  private MessageBuilder daemonMessage(Daemon d) {
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

  /** {@code NLMSG_ERROR} as a socket with NETLINK_CAP_ACK and NETLINK_EXT_ACK gets it. */
  private ByteBuffer error(NetlinkMessage req, int errno, @Nullable String text) {
    int flags = Netlink.F_CAPPED | (text != null ? Netlink.F_ACK_TLVS : 0);
    MessageBuilder b = new MessageBuilder(Netlink.NLMSG_ERROR, flags).putU32(-errno);
    b.putU32(Netlink.HEADER_LENGTH + req.payload().remaining()).putU16(req.type()).putU16(req.flags())
        .putU32(req.sequence()).putU32(req.portId());
    if (text != null) {
      b.string(Netlink.NLMSGERR_ATTR_MSG, text);
    }
    return b.build(req.sequence(), portId);
  }

  // ---- keys ----------------------------------------------------------------------------------

  static String serviceKey(int af, int fwmark, int protocol, byte[] addr, int port) {
    if (fwmark != 0) {
      return "fwm/" + af + "/" + Integer.toUnsignedString(fwmark);
    }
    return protocol + "/" + address(af, addr) + "/" + port;
  }

  static String destKey(int af, byte[] addr, int port) {
    return address(af, addr) + "/" + port;
  }

  private static String address(int af, byte[] addr) {
    try {
      return InetAddress.getByAddress(Arrays.copyOf(addr, af == AF_INET ? 4 : 16)).getHostAddress();
    } catch (UnknownHostException e) {
      return HexFormat.of().formatHex(addr);
    }
  }

  /** A readable dump of the table, for assertion messages. */
  @Override
  public synchronized String toString() {
    StringBuilder sb = new StringBuilder("FakeIpvsKernel{");
    for (Service s : services.values()) {
      sb.append(s.key()).append(' ').append(s.scheduler).append(new TreeSet<>(s.dests.keySet())).append("; ");
    }
    return sb.append('}').toString();
  }
}
