package io.ha4j.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fail-over benchmark's summary: per implementation and interval median, p99, min, max and the
 * median from the last advertisement; the expected Master_Down_Interval and each implementation's
 * overhead over it; the ha4j/keepalived ratios and the paired differences.
 */
final class FailoverReport {

  private final FailoverOptions options;

  FailoverReport(FailoverOptions options) {
    this.options = options;
  }

  /** The table of {@code results}, then per interval the expected Master_Down_Interval, the overheads and the ratios. */
  void print(List<Measurement> results, Death death) {
    System.out.println();
    System.out.println((death == Death.HOST ? "host death, n1's link down" : "process death, kill -9 of the master")
        + " until the client is answered at the VIP by the new master (ms); p99 is nearest-rank: with fewer than 100 runs it is the max; from last adv: kill -> answer + "
        + "phase, the time since n1's last advertisement arrived at n2");
    System.out.printf("%-11s %8s %5s %9s %9s %9s %9s %23s%n", "impl", "interval", "runs", "median", "p99", "min", "max",
        "from last adv (median)");
    Map<String, List<Measurement>> cells = new LinkedHashMap<>();
    for (Measurement m : results) {
      cells.computeIfAbsent(m.cell(), k -> new ArrayList<>()).add(m);
    }
    Map<String, double[]> stats = new LinkedHashMap<>();
    for (Map.Entry<String, List<Measurement>> e : cells.entrySet()) {
      double[] v = sorted(e.getValue().stream().mapToDouble(Measurement::failoverMs).toArray());
      double[] fromLast = sorted(e.getValue().stream().mapToDouble(Measurement::fromLastAdvertisementMs)
          .filter(d -> !Double.isNaN(d)).toArray());
      double fromLastMedian = fromLast.length == 0 ? Double.NaN : median(fromLast);
      double[] s = {median(v), nearestRank(v, 0.99), v[0], v[v.length - 1], fromLastMedian};
      stats.put(e.getKey(), s);
      String[] parts = e.getKey().split(" ");
      System.out.printf(Locale.ROOT, "%-11s %7ss %5d %9.1f %9.1f %9.1f %9.1f %23.1f%n", parts[0], parts[1], v.length,
          s[0], s[1], s[2], s[3], s[4]);
    }
    for (BigDecimal interval : options.intervals()) {
      String at = interval.toPlainString();
      double mdi = Measurement.masterDownIntervalMs(interval, PairLauncher.BACKUP_PRIORITY);
      System.out.println();
      StringBuilder overhead = new StringBuilder();
      for (Implementation impl : options.impls()) {
        double[] s = stats.get(impl.name().toLowerCase(Locale.ROOT) + " " + at);
        if (s != null) {
          overhead.append(String.format(Locale.ROOT, "%s %.1f ms, ", impl.name().toLowerCase(Locale.ROOT),
              s[4] - mdi));
        }
      }
      System.out.printf(Locale.ROOT, "at %ss: expected Master_Down_Interval of n2 (priority %d) %.1f ms; overhead "
          + "median (from-last-adv median - MDI): %s%n", at, PairLauncher.BACKUP_PRIORITY, mdi,
          overhead.length() == 0 ? "no runs" : overhead.substring(0, overhead.length() - 2));
      double[] ours = stats.get("ha4j " + at);
      double[] theirs = stats.get("keepalived " + at);
      if (ours != null && theirs != null) {
        System.out.printf(Locale.ROOT, "ratio ha4j/keepalived %s at %ss: median %.3f, p99 %.3f%n", death.word(),
            at, ours[0] / theirs[0], ours[1] / theirs[1]);
        System.out.printf(Locale.ROOT, "  behind it: ha4j median %.1f ms, p99 %.1f ms; keepalived median %.1f ms, p99 %.1f ms"
            + " (target: %s)%n", ours[0], ours[1], theirs[0], theirs[1], death == Death.HOST ? "ratio <= 1.0"
            : "ha4j p99 < 20 ms, ratio <= 0.01 at 1 s, <= 0.06 at 0.1 s");
        System.out.printf(Locale.ROOT, "ratio ha4j/keepalived at %ss from the last advertisement: median %.3f%n",
            at, ours[4] / theirs[4]);
        double[][] paired = pairedDifferences(results, interval);
        if (paired[0].length > 0) {
          System.out.printf(Locale.ROOT, "paired at %ss (%d runs where both succeeded): median of ha4j_r - "
              + "keepalived_r %.2f ms kill -> answer, %.2f ms from the last advertisement%n", at, paired[0].length,
              median(sorted(paired[0])), paired[1].length == 0 ? Double.NaN : median(sorted(paired[1])));
        }
      }
    }
    double[] fast = stats.get("ha4j 0.02");
    if (fast != null && death == Death.PROCESS) {
      System.out.printf(Locale.ROOT, "ha4j at 0.02s: p99 %.1f ms (target < 20 ms with the death witness)%n", fast[1]);
    }
  }

  /**
   * ha4j_r - keepalived_r over the runs r of {@code interval} where both succeeded: [0] kill to
   * answer, [1] from the last advertisement (runs with a known phase on both sides only).
   */
  static double[][] pairedDifferences(List<Measurement> results, BigDecimal interval) {
    Map<Integer, Measurement> ours = new LinkedHashMap<>();
    Map<Integer, Measurement> theirs = new LinkedHashMap<>();
    for (Measurement m : results) {
      if (m.interval().compareTo(interval) == 0) {
        (m.impl() == Implementation.HA4J ? ours : theirs).put(m.run(), m);
      }
    }
    List<Double> failover = new ArrayList<>();
    List<Double> fromLast = new ArrayList<>();
    for (Map.Entry<Integer, Measurement> e : ours.entrySet()) {
      Measurement k = theirs.get(e.getKey());
      if (k != null) {
        failover.add(e.getValue().failoverMs() - k.failoverMs());
        double d = e.getValue().fromLastAdvertisementMs() - k.fromLastAdvertisementMs();
        if (!Double.isNaN(d)) {
          fromLast.add(d);
        }
      }
    }
    return new double[][] {failover.stream().mapToDouble(Double::doubleValue).toArray(),
        fromLast.stream().mapToDouble(Double::doubleValue).toArray()};
  }

  private static double[] sorted(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c;
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The smallest value with at least {@code q} of the values at or below it. */
  static double nearestRank(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }
}
