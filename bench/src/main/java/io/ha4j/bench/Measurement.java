package io.ha4j.bench;

import java.math.BigDecimal;
import java.util.Locale;

/** A run that succeeded: kill until answer, and the phase hit (NaN when no advertisement was sniffed before the kill). */
record Measurement(BigDecimal interval, int run, Implementation impl, double failoverMs, double phaseMs) {

  /** Master_Down_Interval plus the take-over's own cost, whatever the phase. */
  double fromLastAdvertisementMs() {
    return failoverMs + phaseMs;
  }

  /** The table's row: implementation and interval. */
  String cell() {
    return impl.name().toLowerCase(Locale.ROOT) + " " + interval.toPlainString();
  }

  /** RFC 5798 section 6.1: 3 x Master_Adver_Interval + Skew_Time, Skew_Time = (256 - priority) x interval / 256. */
  static double masterDownIntervalMs(BigDecimal interval, int priority) {
    double ms = interval.doubleValue() * 1000;
    return 3 * ms + (256 - priority) * ms / 256;
  }
}
