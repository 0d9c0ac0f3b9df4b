package io.ha4j.ipvs.internal;

import static io.ha4j.ipvs.internal.IpvsWire.*;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.ipvs.IpvsDestination;
import io.ha4j.ipvs.IpvsInfo;
import io.ha4j.ipvs.IpvsService;
import io.ha4j.ipvs.IpvsStats;
import io.ha4j.ipvs.IpvsTimeouts;
import io.ha4j.ipvs.SyncDaemon;
import io.ha4j.netlink.Attributes;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Encodes IPVS requests and decodes the kernel's replies. Attribute order follows libipvs
 * (ipvsadm 1.31) so that our requests can be compared byte for byte with captured ones.
 */
public final class IpvsCodec {
  private IpvsCodec() {}

  private static MessageBuilder request(int familyId, int command) {
    return MessageBuilder.genl(familyId, 0, command, VERSION);
  }

  public static MessageBuilder getInfo(int familyId) {
    return request(familyId, CMD_GET_INFO);
  }

  public static MessageBuilder newService(int familyId, VirtualService s) {
    MessageBuilder m = request(familyId, CMD_NEW_SERVICE);
    serviceAttribute(m, s);
    return m;
  }

  public static MessageBuilder setService(int familyId, VirtualService s) {
    MessageBuilder m = request(familyId, CMD_SET_SERVICE);
    serviceAttribute(m, s);
    return m;
  }

  public static MessageBuilder delService(int familyId, ServiceKey key) {
    MessageBuilder m = request(familyId, CMD_DEL_SERVICE);
    serviceKeyAttribute(m, key);
    return m;
  }

  /** {@code GET_SERVICE} of one service (not a dump). */
  public static MessageBuilder getService(int familyId, ServiceKey key) {
    MessageBuilder m = request(familyId, CMD_GET_SERVICE);
    serviceKeyAttribute(m, key);
    return m;
  }

  /** {@code GET_SERVICE} to be sent as a dump of every service. */
  public static MessageBuilder dumpServices(int familyId) {
    return request(familyId, CMD_GET_SERVICE);
  }

  public static MessageBuilder newDest(int familyId, ServiceKey key, RealServer r) {
    MessageBuilder m = request(familyId, CMD_NEW_DEST);
    serviceKeyAttribute(m, key);
    destAttribute(m, r);
    return m;
  }

  public static MessageBuilder setDest(int familyId, ServiceKey key, RealServer r) {
    MessageBuilder m = request(familyId, CMD_SET_DEST);
    serviceKeyAttribute(m, key);
    destAttribute(m, r);
    return m;
  }

  public static MessageBuilder delDest(int familyId, ServiceKey key, RealServer.Endpoint e) {
    MessageBuilder m = request(familyId, CMD_DEL_DEST);
    serviceKeyAttribute(m, key);
    int nest = m.beginNested(CMD_ATTR_DEST);
    m.u16(DEST_ADDR_FAMILY, AddressFamily.of(e.address()).number());
    m.bytes(DEST_ADDR, address16(e.address()));
    m.u16be(DEST_PORT, e.port());
    m.endNested(nest);
    return m;
  }

  /** {@code GET_DEST} to be sent as a dump of one service's destinations (the kernel has no single get). */
  public static MessageBuilder dumpDests(int familyId, ServiceKey key) {
    MessageBuilder m = request(familyId, CMD_GET_DEST);
    serviceKeyAttribute(m, key);
    return m;
  }

  public static MessageBuilder flush(int familyId) {
    return request(familyId, CMD_FLUSH);
  }

  /** {@code ZERO} of every counter, or of one service's when {@code key} is given. */
  public static MessageBuilder zero(int familyId, @Nullable ServiceKey key) {
    MessageBuilder m = request(familyId, CMD_ZERO);
    if (key != null) {
      serviceKeyAttribute(m, key);
    }
    return m;
  }

  public static MessageBuilder setConfig(int familyId, IpvsTimeouts t) {
    return request(familyId, CMD_SET_CONFIG)
        .u32(CMD_ATTR_TIMEOUT_TCP, t.tcpSeconds())
        .u32(CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFinSeconds())
        .u32(CMD_ATTR_TIMEOUT_UDP, t.udpSeconds());
  }

  public static MessageBuilder getConfig(int familyId) {
    return request(familyId, CMD_GET_CONFIG);
  }

  public static MessageBuilder newDaemon(int familyId, SyncDaemon d) {
    MessageBuilder m = request(familyId, CMD_NEW_DAEMON);
    int nest = m.beginNested(CMD_ATTR_DAEMON);
    m.u32(DAEMON_STATE, d.state().kernelValue());
    m.string(DAEMON_MCAST_IFN, d.interfaceName());
    m.u32(DAEMON_SYNC_ID, d.syncId());
    if (d.maxLength() != 0) {
      m.u16(DAEMON_SYNC_MAXLEN, d.maxLength());
    }
    InetAddress group = d.group();
    if (group != null) {
      if (group instanceof Inet4Address) {
        m.bytes(DAEMON_MCAST_GROUP, group.getAddress());
      } else {
        m.bytes(DAEMON_MCAST_GROUP6, group.getAddress());
      }
    }
    if (d.port() != 0) {
      m.u16(DAEMON_MCAST_PORT, d.port());
    }
    if (d.ttl() != 0) {
      m.u8(DAEMON_MCAST_TTL, d.ttl());
    }
    m.endNested(nest);
    return m;
  }

  public static MessageBuilder delDaemon(int familyId, SyncDaemon.State state) {
    MessageBuilder m = request(familyId, CMD_DEL_DAEMON);
    int nest = m.beginNested(CMD_ATTR_DAEMON);
    m.u32(DAEMON_STATE, state.kernelValue());
    m.endNested(nest);
    return m;
  }

  /** {@code GET_DAEMON} to be sent as a dump. */
  public static MessageBuilder dumpDaemons(int familyId) {
    return request(familyId, CMD_GET_DAEMON);
  }

  /** The identifying attributes of a service in an {@code IPVS_CMD_ATTR_SERVICE} nest. */
  public static void serviceKeyAttribute(MessageBuilder m, ServiceKey key) {
    int nest = m.beginNested(CMD_ATTR_SERVICE);
    serviceKeyFields(m, key);
    m.endNested(nest);
  }

  private static void serviceKeyFields(MessageBuilder m, ServiceKey key) {
    m.u16(SVC_AF, key.family().number());
    if (key instanceof ServiceKey.Inet inet) {
      m.u16(SVC_PROTOCOL, inet.protocol().number());
      m.bytes(SVC_ADDR, address16(inet.address()));
      m.u16be(SVC_PORT, inet.port());
    } else if (key instanceof ServiceKey.FirewallMark fw) {
      m.u32(SVC_FWMARK, fw.mark());
    }
  }

  /** A whole service (for NEW/SET) in an {@code IPVS_CMD_ATTR_SERVICE} nest. */
  public static void serviceAttribute(MessageBuilder m, VirtualService s) {
    int nest = m.beginNested(CMD_ATTR_SERVICE);
    serviceKeyFields(m, s.key());
    m.string(SVC_SCHED_NAME, s.scheduler());
    String pe = s.persistenceEngine();
    if (pe != null) {
      m.string(SVC_PE_NAME, pe);
    }
    int flags = ServiceFlag.toBits(s.flags()) | (s.persistent() ? SVC_F_PERSISTENT : 0);
    // struct ip_vs_flags: the kernel replaces exactly the bits in mask; all of them, as ipvsadm.
    m.bytes(SVC_FLAGS, flagsStruct(flags, 0xffffffff));
    m.u32(SVC_TIMEOUT, s.persistenceTimeoutSeconds());
    if (s.key().family() == AddressFamily.INET) {
      m.u32be(SVC_NETMASK, prefixToMask(s.persistenceNetmask()));
    } else {
      m.u32(SVC_NETMASK, s.persistenceNetmask());
    }
    m.endNested(nest);
  }

  /** A whole destination in an {@code IPVS_CMD_ATTR_DEST} nest. */
  public static void destAttribute(MessageBuilder m, RealServer r) {
    int nest = m.beginNested(CMD_ATTR_DEST);
    m.u16(DEST_ADDR_FAMILY, AddressFamily.of(r.address()).number());
    m.bytes(DEST_ADDR, address16(r.address()));
    m.u16be(DEST_PORT, r.port());
    m.u32(DEST_FWD_METHOD, r.forwarding().kernelValue());
    m.u32(DEST_WEIGHT, r.weight());
    m.u8(DEST_TUN_TYPE, r.tunnelType().kernelValue());
    m.u16be(DEST_TUN_PORT, r.tunnelPort());
    m.u16(DEST_TUN_FLAGS, r.tunnelFlags());
    m.u32(DEST_U_THRESH, r.upperThreshold());
    m.u32(DEST_L_THRESH, r.lowerThreshold());
    m.endNested(nest);
  }

  static byte[] flagsStruct(int flags, int mask) {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
    return b.putInt(flags).putInt(mask).array();
  }

  /** An address as {@code union nf_inet_addr}: 16 bytes, an IPv4 address in the first four. */
  public static byte[] address16(InetAddress a) {
    return Arrays.copyOf(a.getAddress(), 16);
  }

  /** The IPv4 mask of prefix length {@code prefix} as a host int (255.255.255.0 = 0xffffff00). */
  public static int prefixToMask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** The prefix length of a contiguous IPv4 mask. */
  public static int maskToPrefix(int mask) {
    int prefix = Integer.numberOfLeadingZeros(~mask);
    if (prefix != 32 && (mask << prefix) != 0) {
      throw NetlinkException.protocol("non-contiguous netmask " + Integer.toHexString(mask));
    }
    return prefix;
  }

  // ---- decoding -------------------------------------------------------------------------------

  private static Attributes top(NetlinkMessage m) {
    return m.attributes(Netlink.GENL_HEADER_LENGTH);
  }

  public static IpvsInfo decodeInfo(NetlinkMessage m) {
    Attributes a = top(m);
    return new IpvsInfo(a.u32(INFO_VERSION), a.u32(INFO_CONN_TAB_SIZE));
  }

  public static IpvsTimeouts decodeConfig(NetlinkMessage m) {
    Attributes a = top(m);
    return guard(() -> new IpvsTimeouts(a.u32(CMD_ATTR_TIMEOUT_TCP, 0),
        a.u32(CMD_ATTR_TIMEOUT_TCP_FIN, 0), a.u32(CMD_ATTR_TIMEOUT_UDP, 0)));
  }

  public static IpvsService decodeService(NetlinkMessage m) {
    return decodeService(top(m).nested(CMD_ATTR_SERVICE));
  }

  public static IpvsService decodeService(Attributes s) {
    return guard(() -> {
      AddressFamily af = family(s.u16(SVC_AF));
      int fwmark = s.u32(SVC_FWMARK, 0);
      ServiceKey key;
      if (fwmark != 0) {
        key = ServiceKey.fwmark(fwmark, af);
      } else {
        key = ServiceKey.of(Protocol.ofNumber(s.u16(SVC_PROTOCOL)), address(af, s.bytes(SVC_ADDR, -1)),
            s.u16be(SVC_PORT));
      }
      ByteBuffer flagsValue = flagsOf(s);
      int flags = flagsValue.getInt(0);
      boolean persistent = (flags & SVC_F_PERSISTENT) != 0;
      int timeout = persistent ? s.u32(SVC_TIMEOUT, 0) : 0;
      int prefix = af == AddressFamily.INET ? maskToPrefix(s.u32be(SVC_NETMASK, -1)) : s.u32(SVC_NETMASK, 128);
      VirtualService vs = new VirtualService(key, s.string(SVC_SCHED_NAME), ServiceFlag.fromBits(flags),
          timeout, prefix, emptyToNull(s.stringOrNull(SVC_PE_NAME)));
      return new IpvsService(vs, flags, stats(s, SVC_STATS, SVC_STATS64));
    });
  }

  private static ByteBuffer flagsOf(Attributes s) {
    byte[] raw = s.bytes(SVC_FLAGS, -1);
    if (raw.length < 8) {
      throw NetlinkException.protocol("IPVS_SVC_ATTR_FLAGS of " + raw.length + " bytes, needs 8");
    }
    return ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
  }

  public static IpvsDestination decodeDest(NetlinkMessage m, AddressFamily serviceFamily) {
    return decodeDest(top(m).nested(CMD_ATTR_DEST), serviceFamily);
  }

  public static IpvsDestination decodeDest(Attributes d, AddressFamily serviceFamily) {
    return guard(() -> {
      AddressFamily af = d.has(DEST_ADDR_FAMILY) ? family(d.u16(DEST_ADDR_FAMILY)) : serviceFamily;
      int fwd = d.u32(DEST_FWD_METHOD) & CONN_F_FWD_MASK;
      boolean local = fwd == CONN_F_LOCALNODE;
      ForwardingMethod method = local ? ForwardingMethod.DR : ForwardingMethod.ofKernelValue(fwd);
      RealServer r = new RealServer(address(af, d.bytes(DEST_ADDR, -1)), d.u16be(DEST_PORT),
          d.u32(DEST_WEIGHT), method, d.u32(DEST_U_THRESH, 0), d.u32(DEST_L_THRESH, 0),
          TunnelType.ofKernelValue(d.u8(DEST_TUN_TYPE, 0)), d.u16be(DEST_TUN_PORT, 0), d.u16(DEST_TUN_FLAGS, 0));
      return new IpvsDestination(r, local, d.u32(DEST_ACTIVE_CONNS, 0), d.u32(DEST_INACT_CONNS, 0),
          d.u32(DEST_PERSIST_CONNS, 0), stats(d, DEST_STATS, DEST_STATS64));
    });
  }

  public static SyncDaemon decodeDaemon(NetlinkMessage m) {
    Attributes d = top(m).nested(CMD_ATTR_DAEMON);
    return guard(() -> {
      InetAddress group = null;
      if (d.has(DAEMON_MCAST_GROUP6)) {
        group = InetAddress.getByAddress(d.bytes(DAEMON_MCAST_GROUP6, 16));
      } else if (d.has(DAEMON_MCAST_GROUP)) {
        group = InetAddress.getByAddress(d.bytes(DAEMON_MCAST_GROUP, 4));
      }
      return new SyncDaemon(SyncDaemon.State.ofKernelValue(d.u32(DAEMON_STATE)), d.string(DAEMON_MCAST_IFN),
          d.u32(DAEMON_SYNC_ID), d.u16(DAEMON_SYNC_MAXLEN, 0), group, d.u16(DAEMON_MCAST_PORT, 0),
          d.u8(DAEMON_MCAST_TTL, 0));
    });
  }

  private static IpvsStats stats(Attributes parent, int stats32, int stats64) {
    if (parent.has(stats64)) {
      Attributes s = parent.nested(stats64);
      return new IpvsStats(s.u64(STATS_CONNS, 0), s.u64(STATS_INPKTS, 0), s.u64(STATS_OUTPKTS, 0),
          s.u64(STATS_INBYTES, 0), s.u64(STATS_OUTBYTES, 0), s.u64(STATS_CPS, 0), s.u64(STATS_INPPS, 0),
          s.u64(STATS_OUTPPS, 0), s.u64(STATS_INBPS, 0), s.u64(STATS_OUTBPS, 0));
    }
    if (parent.has(stats32)) {
      Attributes s = parent.nested(stats32);
      return new IpvsStats(u(s, STATS_CONNS), u(s, STATS_INPKTS), u(s, STATS_OUTPKTS),
          s.u64(STATS_INBYTES, 0), s.u64(STATS_OUTBYTES, 0), u(s, STATS_CPS), u(s, STATS_INPPS),
          u(s, STATS_OUTPPS), u(s, STATS_INBPS), u(s, STATS_OUTBPS));
    }
    return IpvsStats.ZERO;
  }

  private static long u(Attributes s, int type) {
    return Integer.toUnsignedLong(s.u32(type, 0));
  }

  private static AddressFamily family(int af) {
    return AddressFamily.ofNumber(af);
  }

  private static InetAddress address(AddressFamily af, byte[] raw) throws UnknownHostException {
    int n = af == AddressFamily.INET ? 4 : 16;
    if (raw.length < n) {
      throw NetlinkException.protocol("address of " + raw.length + " bytes for " + af);
    }
    return InetAddress.getByAddress(Arrays.copyOf(raw, n));
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private interface Decoding<T> {
    T run() throws UnknownHostException;
  }

  /** Turns what the model's validation rejects in a reply into a protocol error. */
  private static <T> T guard(Decoding<T> d) {
    try {
      return d.run();
    } catch (IllegalArgumentException | UnknownHostException e) {
      throw new NetlinkException(NetlinkException.Kind.PROTOCOL, 0, "invalid IPVS reply: " + e.getMessage(), null, e);
    }
  }
}
