package io.ha4j.bench;

import io.ha4j.bench.linux.AdvertisementSniffer;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When n1 is killed: at a planned phase after the arrival of n1's advertisement at n2 (its latest
 * copy), to within microseconds on the sniffer's clock.
 */
final class PhaseLockedKill {

  /** The kill waits parked until this long before its time, then spins: parking overshoots by tens of µs. */
  static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(300);

  private PhaseLockedKill() {}

  /**
   * What the phase counts from: the arrival of the next advertisement {@code sniffer} sees, moved
   * by its later copies; null if none arrives within 3 intervals.
   */
  static @Nullable LongSupplier nextAdvertisement(AdvertisementSniffer sniffer, long intervalNanos)
      throws InterruptedException {
    OptionalLong advert = sniffer.awaitAfter(System.nanoTime(), 3 * intervalNanos);
    if (advert.isEmpty()) {
      return null;
    }
    // The phase counts from the advertisement's latest copy (ha4j sends ha4j_advert_copies, up
    // to a millisecond apart), which is what the backup's timer runs from: arrivals up to half
    // an interval after the first move the anchor, the next advertisement does not.
    long first = advert.getAsLong();
    long lastCopyBy = first + intervalNanos / 2;
    return () -> sniffer.latestAtOrBefore(earlier(System.nanoTime(), lastCopyBy)).orElse(first);
  }

  /**
   * Returns the {@link System#nanoTime()} at which {@code phaseNanos} have passed since {@code
   * anchor} (asked again on every wake-up, since a later copy may move it), or at once if they
   * have: parked until {@link #SPIN_NANOS} before, then spinning, so the kill is late by
   * microseconds, not by a park's overshoot.
   */
  static long awaitPhase(LongSupplier anchor, long phaseNanos) {
    while (true) {
      long now = System.nanoTime();
      long left = anchor.getAsLong() + phaseNanos - now;
      if (left <= 0) {
        return now;
      }
      if (left > SPIN_NANOS) {
        LockSupport.parkNanos(left - SPIN_NANOS);
      } else {
        Thread.onSpinWait();
      }
    }
  }

  private static long earlier(long a, long b) {
    return a - b < 0 ? a : b;
  }
}
