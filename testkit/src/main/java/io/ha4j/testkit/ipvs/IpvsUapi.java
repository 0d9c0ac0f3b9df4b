package io.ha4j.testkit.ipvs;

/**
 * The numbers of include/uapi/linux/ip_vs.h the fake reads and writes, written out independently
 * of the client's codec so that a wrong number in one of them shows as a disagreement.
 */
final class IpvsUapi {
  private IpvsUapi() {}

  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  /** {@code IP_VS_VERSION_CODE} 1.2.1. */
  static final int VERSION = 0x010201;
  static final int CONN_TAB_SIZE = 4096;

  static final int CMD_NEW_SERVICE = 1, CMD_SET_SERVICE = 2, CMD_DEL_SERVICE = 3, CMD_GET_SERVICE = 4,
      CMD_NEW_DEST = 5, CMD_SET_DEST = 6, CMD_DEL_DEST = 7, CMD_GET_DEST = 8, CMD_NEW_DAEMON = 9,
      CMD_DEL_DAEMON = 10, CMD_GET_DAEMON = 11, CMD_SET_CONFIG = 12, CMD_GET_CONFIG = 13, CMD_SET_INFO = 14,
      CMD_GET_INFO = 15, CMD_ZERO = 16, CMD_FLUSH = 17;
  static final int A_SERVICE = 1, A_DEST = 2, A_DAEMON = 3, A_TCP = 4, A_TCP_FIN = 5, A_UDP = 6;
  static final int S_AF = 1, S_PROTOCOL = 2, S_ADDR = 3, S_PORT = 4, S_FWMARK = 5, S_SCHED = 6,
      S_FLAGS = 7, S_TIMEOUT = 8, S_NETMASK = 9, S_STATS = 10, S_PE = 11, S_STATS64 = 12;
  static final int D_ADDR = 1, D_PORT = 2, D_FWD = 3, D_WEIGHT = 4, D_UTHRESH = 5, D_LTHRESH = 6,
      D_ACTIVE = 7, D_INACT = 8, D_PERSIST = 9, D_STATS = 10, D_AF = 11, D_STATS64 = 12, D_TUN_TYPE = 13,
      D_TUN_PORT = 14, D_TUN_FLAGS = 15;
  static final int Y_STATE = 1, Y_IFN = 2, Y_SYNCID = 3, Y_MAXLEN = 4, Y_GROUP = 5, Y_GROUP6 = 6,
      Y_PORT = 7, Y_TTL = 8;
  static final int F_HASHED = 0x2;
  static final int TUN_GUE = 1;
}
