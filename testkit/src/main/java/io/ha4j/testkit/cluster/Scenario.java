package io.ha4j.testkit.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A cluster and what happens to it: timed faults up to a horizon. Its text form is a complete
 * reproducer; {@link ClusterHarness#replay(long, String)} runs it again, for example
 *
 * <pre>
 * nodes=3 prio=200,100,50 preempt=true adv=100ms delay=100us jitter=0ms dup=0.0 reorder=0.0 stall-threshold=0.25
 *   ; @2000ms crash n1 ; @5000ms restart n1 ; end @20000ms
 * </pre>
 *
 * @param cluster the members and their settings
 * @param faults in time order (sorted on construction; equal times keep their order)
 * @param horizon how long the run lasts, from the start of the members
 */
public record Scenario(ClusterConfig cluster, List<TimedFault> faults, Duration horizon) {

  /** A fault at a point of virtual time, measured from the start of the members. */
  public record TimedFault(Duration at, Fault fault) {
    public TimedFault {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(fault, "fault");
      if (at.isNegative()) {
        throw new IllegalArgumentException("fault time must not be negative, was " + at);
      }
    }

    /** The text form, {@code @2500ms crash n1}. */
    public String text() {
      return "@" + formatDuration(at) + " " + fault.text();
    }
  }

  public Scenario {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(horizon, "horizon");
    List<TimedFault> sorted = new ArrayList<>(Objects.requireNonNull(faults, "faults"));
    sorted.sort(Comparator.comparing(TimedFault::at));
    faults = List.copyOf(sorted);
    for (TimedFault f : faults) {
      String node = f.fault().node();
      if (node != null) {
        cluster.index(node);
      }
      if (f.fault() instanceof Fault.Partition p) {
        p.sides().forEach(s -> s.forEach(cluster::index));
      } else if (f.fault() instanceof Fault.Cut c) {
        cluster.index(c.from());
        cluster.index(c.to());
      } else if (f.fault() instanceof Fault.RealServerFault r) {
        cluster.realServers().index(r.realServer());
      }
      if (f.at().compareTo(horizon) > 0) {
        throw new IllegalArgumentException("fault '" + f.text() + "' lies after the horizon " + formatDuration(horizon));
      }
    }
  }

  /** A scenario without faults. */
  public static Scenario quiet(ClusterConfig cluster, Duration horizon) {
    return new Scenario(cluster, List.of(), horizon);
  }

  /** The text form: the cluster, the faults and the horizon, separated by {@code ;}. */
  public String text() {
    StringBuilder b = new StringBuilder(cluster.text());
    for (TimedFault f : faults) {
      b.append(" ; ").append(f.text());
    }
    return b.append(" ; end @").append(formatDuration(horizon)).toString();
  }

  /** Parses {@link #text()}. */
  public static Scenario parse(String text) {
    String[] parts = text.split(";");
    ClusterConfig cluster = ClusterConfig.parse(parts[0]);
    List<TimedFault> faults = new ArrayList<>();
    Duration horizon = null;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.isEmpty()) {
        continue;
      }
      if (p.startsWith("end")) {
        horizon = parseDuration(p.substring(3).trim().replace("@", ""));
        continue;
      }
      if (!p.startsWith("@")) {
        throw new IllegalArgumentException("a timed fault starts with @time, was '" + p + "'");
      }
      int space = p.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException("a timed fault needs a fault after its time, was '" + p + "'");
      }
      faults.add(new TimedFault(parseDuration(p.substring(1, space)), Fault.parse(p.substring(space + 1))));
    }
    if (horizon == null) {
      throw new IllegalArgumentException("scenario text lacks its 'end @time': " + text);
    }
    return new Scenario(cluster, faults, horizon);
  }

  /** Formats a duration as whole {@code ms}, else {@code us}, else {@code ns}. */
  static String formatDuration(Duration d) {
    long n = d.toNanos();
    if (n % 1_000_000 == 0) {
      return n / 1_000_000 + "ms";
    }
    if (n % 1_000 == 0) {
      return n / 1_000 + "us";
    }
    return n + "ns";
  }

  /** Parses {@code 100ms}, {@code 1500us}, {@code 7ns} or {@code 2s}. */
  static Duration parseDuration(String s) {
    String t = s.trim();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("us")) {
        return Duration.ofNanos(Long.parseLong(t.substring(0, t.length() - 2)) * 1_000);
      } else if (t.endsWith("ns")) {
        return Duration.ofNanos(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration: '" + s + "'", e);
    }
    throw new IllegalArgumentException("a duration ends in ms, us, ns or s, was '" + s + "'");
  }
}
