package io.ha4j.vip;

import io.ha4j.vip.codec.ArpFrame;
import java.time.Duration;
import java.util.Objects;

/**
 * How a VIP is announced to the neighbours: a burst at takeover, an optional second burst, and an
 * optional periodic refresh. The defaults are keepalived's.
 *
 * @param count frames per burst (keepalived {@code garp_master_repeat}, default 5)
 * @param interval time between frames of a burst (keepalived {@code garp_interval}, default 0:
 *     back to back)
 * @param repeatDelay when the second burst follows the first (keepalived {@code garp_master_delay},
 *     default 5 s); zero for no second burst
 * @param refreshPeriod period of refresh bursts while owned (keepalived {@code garp_master_refresh},
 *     default off = zero)
 * @param refreshCount frames per refresh burst (keepalived {@code garp_master_refresh_repeat},
 *     default 1)
 * @param arpKind gratuitous ARP request (keepalived, {@code arping -U}) or reply ({@code arping
 *     -A}); IPv6 always uses unsolicited neighbour advertisements
 * @param router the R flag of neighbour advertisements: set it when the VIP is an IPv6 default
 *     gateway (LVS-NAT), because hosts drop a router from their default router list when an NA for
 *     it arrives without R (RFC 4861 section 7.2.5); keepalived sets it when forwarding is on
 */
public record AnnouncementPolicy(
    int count,
    Duration interval,
    Duration repeatDelay,
    Duration refreshPeriod,
    int refreshCount,
    ArpFrame.GratuitousKind arpKind,
    boolean router) {

  /** keepalived 2.2.7's defaults: 5 requests at once, 5 more after 5 s, no refresh. */
  public static final AnnouncementPolicy KEEPALIVED =
      new AnnouncementPolicy(5, Duration.ZERO, Duration.ofSeconds(5), Duration.ZERO, 1, ArpFrame.GratuitousKind.REQUEST, false);

  public AnnouncementPolicy {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(repeatDelay, "repeatDelay");
    Objects.requireNonNull(refreshPeriod, "refreshPeriod");
    Objects.requireNonNull(arpKind, "arpKind");
    if (count < 1 || count > 1000) {
      throw new IllegalArgumentException("count must be 1..1000, was " + count);
    }
    if (refreshCount < 1 || refreshCount > 1000) {
      throw new IllegalArgumentException("refreshCount must be 1..1000, was " + refreshCount);
    }
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative, was " + interval);
    }
    if (repeatDelay.isNegative()) {
      throw new IllegalArgumentException("repeatDelay must not be negative, was " + repeatDelay);
    }
    if (refreshPeriod.isNegative()) {
      throw new IllegalArgumentException("refreshPeriod must not be negative, was " + refreshPeriod);
    }
  }

  /**
   * The record's usual form, written out: the generated one is linked at its first call (method
   * handles spun for a few milliseconds of CPU), and that call is the log line of a take-over,
   * while the clients turn to the new master.
   */
  @Override
  public String toString() {
    return "AnnouncementPolicy[count=" + count + ", interval=" + interval + ", repeatDelay=" + repeatDelay
        + ", refreshPeriod=" + refreshPeriod + ", refreshCount=" + refreshCount + ", arpKind=" + arpKind
        + ", router=" + router + "]";
  }

  /** This policy with a periodic refresh every {@code period} (zero = off). */
  public AnnouncementPolicy withRefresh(Duration period) {
    return new AnnouncementPolicy(count, interval, repeatDelay, period, refreshCount, arpKind, router);
  }

  /** This policy with the neighbour advertisement R flag set or clear. */
  public AnnouncementPolicy withRouterFlag(boolean on) {
    return new AnnouncementPolicy(count, interval, repeatDelay, refreshPeriod, refreshCount, arpKind, on);
  }

  /** This policy with ARP requests or replies. */
  public AnnouncementPolicy withArpKind(ArpFrame.GratuitousKind kind) {
    return new AnnouncementPolicy(count, interval, repeatDelay, refreshPeriod, refreshCount, kind, router);
  }

  /** This policy with {@code count} frames, {@code interval} apart, per burst. */
  public AnnouncementPolicy withBurst(int count, Duration interval) {
    return new AnnouncementPolicy(count, interval, repeatDelay, refreshPeriod, refreshCount, arpKind, router);
  }

  /** This policy with the second burst after {@code delay} (zero = none). */
  public AnnouncementPolicy withRepeatDelay(Duration delay) {
    return new AnnouncementPolicy(count, interval, delay, refreshPeriod, refreshCount, arpKind, router);
  }
}
