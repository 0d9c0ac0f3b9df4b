package io.ha4j.ipvs.internal;

/**
 * Numbers of the IPVS generic netlink family, from {@code include/uapi/linux/ip_vs.h} (6.x),
 * checked against the captured ipvsadm 1.31 traffic (vectors/ipvs-ipvsadm-netlink.hex).
 */
public final class IpvsWire {
  private IpvsWire() {}

  /** {@code IPVS_GENL_NAME}. */
  public static final String FAMILY = "IPVS";
  /** {@code IPVS_GENL_VERSION}. */
  public static final int VERSION = 0x1;

  // enum IPVS_CMD_* (commands)
  public static final int CMD_NEW_SERVICE = 1;
  public static final int CMD_SET_SERVICE = 2;
  public static final int CMD_DEL_SERVICE = 3;
  public static final int CMD_GET_SERVICE = 4;
  public static final int CMD_NEW_DEST = 5;
  public static final int CMD_SET_DEST = 6;
  public static final int CMD_DEL_DEST = 7;
  public static final int CMD_GET_DEST = 8;
  public static final int CMD_NEW_DAEMON = 9;
  public static final int CMD_DEL_DAEMON = 10;
  public static final int CMD_GET_DAEMON = 11;
  public static final int CMD_SET_CONFIG = 12;
  public static final int CMD_GET_CONFIG = 13;
  public static final int CMD_SET_INFO = 14;
  public static final int CMD_GET_INFO = 15;
  public static final int CMD_ZERO = 16;
  public static final int CMD_FLUSH = 17;

  // enum IPVS_CMD_ATTR_* (top level)
  public static final int CMD_ATTR_SERVICE = 1; // nested
  public static final int CMD_ATTR_DEST = 2; // nested
  public static final int CMD_ATTR_DAEMON = 3; // nested
  public static final int CMD_ATTR_TIMEOUT_TCP = 4; // u32
  public static final int CMD_ATTR_TIMEOUT_TCP_FIN = 5; // u32
  public static final int CMD_ATTR_TIMEOUT_UDP = 6; // u32

  // enum IPVS_SVC_ATTR_*
  public static final int SVC_AF = 1; // u16
  public static final int SVC_PROTOCOL = 2; // u16
  public static final int SVC_ADDR = 3; // union nf_inet_addr, 16 bytes
  public static final int SVC_PORT = 4; // __be16
  public static final int SVC_FWMARK = 5; // u32
  public static final int SVC_SCHED_NAME = 6; // string, IP_VS_SCHEDNAME_MAXLEN 16
  public static final int SVC_FLAGS = 7; // struct ip_vs_flags {u32 flags; u32 mask}
  public static final int SVC_TIMEOUT = 8; // u32 seconds
  public static final int SVC_NETMASK = 9; // u32: __be32 mask for IPv4, prefix length for IPv6
  public static final int SVC_STATS = 10; // nested IPVS_STATS_ATTR_*
  public static final int SVC_PE_NAME = 11; // string, IP_VS_PENAME_MAXLEN 16
  public static final int SVC_STATS64 = 12; // nested, all u64

  // enum IPVS_DEST_ATTR_*
  public static final int DEST_ADDR = 1; // 16 bytes
  public static final int DEST_PORT = 2; // __be16
  public static final int DEST_FWD_METHOD = 3; // u32, IP_VS_CONN_F_FWD_MASK bits
  public static final int DEST_WEIGHT = 4; // u32 (int)
  public static final int DEST_U_THRESH = 5; // u32
  public static final int DEST_L_THRESH = 6; // u32
  public static final int DEST_ACTIVE_CONNS = 7; // u32
  public static final int DEST_INACT_CONNS = 8; // u32
  public static final int DEST_PERSIST_CONNS = 9; // u32
  public static final int DEST_STATS = 10; // nested
  public static final int DEST_ADDR_FAMILY = 11; // u16
  public static final int DEST_STATS64 = 12; // nested
  public static final int DEST_TUN_TYPE = 13; // u8
  public static final int DEST_TUN_PORT = 14; // __be16
  public static final int DEST_TUN_FLAGS = 15; // u16

  // enum IPVS_DAEMON_ATTR_*
  public static final int DAEMON_STATE = 1; // u32
  public static final int DAEMON_MCAST_IFN = 2; // string, IP_VS_IFNAME_MAXLEN 16
  public static final int DAEMON_SYNC_ID = 3; // u32
  public static final int DAEMON_SYNC_MAXLEN = 4; // u16
  public static final int DAEMON_MCAST_GROUP = 5; // __be32 (raw IPv4 bytes)
  public static final int DAEMON_MCAST_GROUP6 = 6; // struct in6_addr
  public static final int DAEMON_MCAST_PORT = 7; // u16 in HOST order (c->mcast_port; 8848 reads 90 22 on x86)
  public static final int DAEMON_MCAST_TTL = 8; // u8

  // enum IPVS_STATS_ATTR_* (u32 in STATS except the byte counters; all u64 in STATS64)
  public static final int STATS_CONNS = 1;
  public static final int STATS_INPKTS = 2;
  public static final int STATS_OUTPKTS = 3;
  public static final int STATS_INBYTES = 4; // u64
  public static final int STATS_OUTBYTES = 5; // u64
  public static final int STATS_CPS = 6;
  public static final int STATS_INPPS = 7;
  public static final int STATS_OUTPPS = 8;
  public static final int STATS_INBPS = 9;
  public static final int STATS_OUTBPS = 10;

  // enum IPVS_INFO_ATTR_*
  public static final int INFO_VERSION = 1; // u32
  public static final int INFO_CONN_TAB_SIZE = 2; // u32

  // IP_VS_SVC_F_* service flags
  public static final int SVC_F_PERSISTENT = 0x0001;
  public static final int SVC_F_HASHED = 0x0002;
  public static final int SVC_F_ONEPACKET = 0x0004;
  public static final int SVC_F_SCHED1 = 0x0008;
  public static final int SVC_F_SCHED2 = 0x0010;
  public static final int SVC_F_SCHED3 = 0x0020;

  // IP_VS_CONN_F_* forwarding methods
  public static final int CONN_F_FWD_MASK = 0x0007;
  public static final int CONN_F_MASQ = 0x0000;
  public static final int CONN_F_LOCALNODE = 0x0001;
  public static final int CONN_F_TUNNEL = 0x0002;
  public static final int CONN_F_DROUTE = 0x0003;

  /** {@code IP_VS_SCHEDNAME_MAXLEN}, {@code IP_VS_PENAME_MAXLEN}, {@code IP_VS_IFNAME_MAXLEN}. */
  public static final int NAME_MAXLEN = 16;
}
