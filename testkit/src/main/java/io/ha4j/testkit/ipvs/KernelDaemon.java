package io.ha4j.testkit.ipvs;

/** A running connection-sync daemon as the fake keeps it, by state (1 master, 2 backup). */
final class KernelDaemon {
  final int state;
  final String ifname;
  final int syncId;
  final int maxLen;
  /** 4 bytes for an IPv4 group, 16 for IPv6. */
  final byte[] group;
  final int port;
  final int ttl;

  KernelDaemon(int state, String ifname, int syncId, int maxLen, byte[] group, int port, int ttl) {
    this.state = state;
    this.ifname = ifname;
    this.syncId = syncId;
    this.maxLen = maxLen;
    this.group = group;
    this.port = port;
    this.ttl = ttl;
  }
}
