package io.ha4j.testkit.ipvs;

/**
 * A running connection-sync daemon as the fake keeps it, by state (1 master, 2 backup); {@code
 * group} is 4 bytes for IPv4, 16 for IPv6.
 */
@SuppressWarnings("ArrayRecordComponent") // only ever encoded, never compared
record KernelDaemon(int state, String ifname, int syncId, int maxLen, byte[] group, int port, int ttl) {}
