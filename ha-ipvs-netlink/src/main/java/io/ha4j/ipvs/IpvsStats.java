package io.ha4j.ipvs;

/**
 * Traffic counters and rate estimates of a virtual service or real server ({@code IPVS_STATS_ATTR_*};
 * taken from the 64-bit set when the kernel sends it). Rates are per second, as the kernel's
 * estimator computes them.
 */
public record IpvsStats(
    long connections,
    long inPackets,
    long outPackets,
    long inBytes,
    long outBytes,
    long connectionsPerSecond,
    long inPacketsPerSecond,
    long outPacketsPerSecond,
    long inBytesPerSecond,
    long outBytesPerSecond) {

  /** All counters zero. */
  public static final IpvsStats ZERO = new IpvsStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
