package io.ha4j.testkit.cluster;

import io.ha4j.api.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@link Invariant#L1} and {@link Invariant#W1} at one fault: when the master of a settled
 * connected partition crashes or hands over, a backup of that partition becomes master within the
 * bound (for a killed process, the death witness's), and only the best one when the skews (the
 * witness's staggers) separate it from the next.
 */
final class FailoverCheck {

  private final History history;
  private final Bounds bounds;
  private final Disturbances disturbances;
  private final List<History.Event> events;

  FailoverCheck(History history, Bounds bounds, Disturbances disturbances) {
    this.history = history;
    this.bounds = bounds;
    this.disturbances = disturbances;
    this.events = history.events();
  }

  /** Checks the fault {@code f}, event {@code index} of the history, in the state {@code s} just before it. */
  void check(ClusterState s, History.FaultApplied f, int index, List<Violation> violations) {
    Fault fault = f.fault();
    boolean crash = fault instanceof Fault.Death;
    // W1 needs the probe's round trip within the election's probe timeout at the longest delay a
    // datagram can take (jitter included); else the timer decides (L1). Between the two, some
    // backups' probes are answered in time and others not: either may decide, for each backup.
    long probeTimeout = io.ha4j.heartbeat.HeartbeatConfig.DEFAULT_WITNESS_PROBE_TIMEOUT.toNanos();
    boolean killed = fault instanceof Fault.Kill && 2 * bounds.maxDelayNanos() < probeTimeout;
    boolean mixed = fault instanceof Fault.Kill && !killed && 2 * bounds.delayNanos() < probeTimeout;
    if (!(crash || fault instanceof Fault.Stop || fault instanceof Fault.Boot
        || fault instanceof Fault.InterfaceDown)) {
      return;
    }
    String m = fault.node();
    long t = f.atNanos();
    long b = bounds.convergenceNanos();
    if (m == null || s.role.get(m) != Role.MASTER || !s.eligible(m) || s.loss >= Bounds.STABLE_LOSS) {
      return;
    }
    if (!disturbances.settled(t, b)) {
      return;
    }
    Set<String> partition = null;
    for (Set<String> p : s.partitions()) {
      if (p.contains(m)) {
        partition = p;
      }
    }
    if (partition == null || partition.stream().anyMatch(s::stalled) || !s.masters(partition).equals(List.of(m))) {
      return;
    }
    List<String> backups = partition.stream().filter(n -> !n.equals(m) && s.eligible(n)).toList();
    if (backups.isEmpty()) {
      return;
    }
    int best = backups.stream().mapToInt(s::priority).max().orElseThrow();
    long limit = t + (killed ? bounds.witnessNanos(best)
        : crash ? bounds.crashFailoverNanos(best) : bounds.handoverNanos(best));
    Invariant which = killed ? Invariant.W1 : Invariant.L1;
    if (limit > history.endNanos() || disturbances.anyAfter(t, limit)) {
      return;
    }
    List<String> takeovers = new ArrayList<>();
    for (int j = index + 1; j < events.size() && events.get(j).atNanos() <= limit; j++) {
      if (events.get(j) instanceof History.RoleChanged r && r.to() == Role.MASTER && backups.contains(r.node())) {
        takeovers.add(r.node());
      }
    }
    String what = (killed ? "kill" : crash ? "crash" : "hand-over") + " of master " + m;
    if (takeovers.isEmpty()) {
      violations.add(new Violation(which, t, "no backup of " + backups + " became master within "
          + History.time(limit - t) + " after the " + what));
      return;
    }
    List<String> bestOnes = backups.stream().filter(n -> s.priority(n) == best).toList();
    int second = backups.stream().mapToInt(s::priority).filter(p -> p < best).max().orElse(0);
    boolean noDrift = bounds.driftFactor() == 1.0 && bounds.fastestRate() == 1.0;
    long gap = killed ? bounds.witnessStaggerNanos(second) - bounds.witnessStaggerNanos(best)
        : bounds.skewNanos(second) - bounds.skewNanos(best);
    boolean separated = second == 0 || gap > bounds.delaySpreadNanos() + bounds.maxDelayNanos() + 1_000_000;
    if (noDrift && bestOnes.size() == 1 && separated && !mixed) {
      for (String n : takeovers) {
        if (!n.equals(bestOnes.get(0))) {
          violations.add(new Violation(which, t, "after the " + what + ", " + n + " (priority "
              + s.priority(n) + ") became master too, though " + bestOnes.get(0) + " (priority " + best
              + ") leads it by " + History.time(gap) + (killed ? " of stagger" : " of skew")));
          return;
        }
      }
    }
  }
}
