package io.ha4j.testkit.ipvs;

/**
 * A real server of a virtual service as the fake keeps it ({@code struct ip_vs_dest}), or the
 * fields of a destination request before they are applied.
 */
final class KernelDest {
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

  String key() {
    return IpvsTable.destKey(af, addr, port);
  }
}
