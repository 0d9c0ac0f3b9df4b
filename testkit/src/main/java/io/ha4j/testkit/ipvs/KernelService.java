package io.ha4j.testkit.ipvs;

import java.util.LinkedHashMap;

/**
 * A virtual service as the fake keeps it ({@code struct ip_vs_service}), or the fields of a
 * service request before they are applied.
 */
final class KernelService {
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
  /** By {@link IpvsTable#destKey}, in the kernel's list order. */
  final LinkedHashMap<String, KernelDest> dests = new LinkedHashMap<>();

  String key() {
    return IpvsTable.serviceKey(af, fwmark, protocol, addr, port);
  }
}
