package io.ha4j.testkit.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link Invariant#S1}, {@link Invariant#L2} and {@link Invariant#L3} over the stable periods of a
 * history, and {@link Invariant#L1} at its faults: replays the history, checking at the start and
 * at every instant of each stable period. Each invariant is reported at most once per period.
 */
final class StablePeriodCheck {

  private final History history;
  private final ClusterConfig cluster;
  private final Bounds bounds;
  private final Disturbances d;
  private final List<History.Event> events;
  private final FailoverCheck failover;
  private final List<Violation> violations = new ArrayList<>();

  StablePeriodCheck(History history, Bounds bounds, Disturbances disturbances) {
    this.history = history;
    this.cluster = history.cluster();
    this.bounds = bounds;
    this.d = disturbances;
    this.events = history.events();
    this.failover = new FailoverCheck(history, bounds, disturbances);
  }

  List<Violation> check() {
    long b = bounds.convergenceNanos();
    long end = history.endNanos();
    List<long[]> starts = new ArrayList<>();
    for (int k = 0; k < d.count(); k++) {
      long start = d.at(k) + b;
      long stop = k + 1 < d.count() ? d.at(k + 1) : end + 1;
      if (start < stop && start <= end) {
        starts.add(new long[] {start, k});
      }
    }
    ClusterState s = new ClusterState(cluster);
    Set<Integer> reported = new HashSet<>();
    int i = 0;
    int k = 0;
    while (i < events.size() || k < starts.size()) {
      long te = i < events.size() ? events.get(i).atNanos() : Long.MAX_VALUE;
      long ts = k < starts.size() ? starts.get(k)[0] : Long.MAX_VALUE;
      if (ts < te) {
        // A stable period starts: the state now is the state at its start.
        int period = (int) starts.get(k)[1];
        k++;
        if (s.loss < Bounds.STABLE_LOSS) {
          checkConverged(s, ts, period, reported);
          checkSingleMaster(s, ts, period, reported);
        }
        continue;
      }
      int period = d.periodOf(te);
      boolean inPeriod = d.inPeriod(period, te, b, end) && s.loss < Bounds.STABLE_LOSS;
      for (; i < events.size() && events.get(i).atNanos() == te; i++) {
        History.Event e = events.get(i);
        if (e instanceof History.FaultApplied f) {
          failover.check(s, f, i, violations);
        }
        if (inPeriod && e instanceof History.RoleChanged r && reported.add(period * 8 + 2)) {
          violations.add(new Violation(Invariant.L2, te,
              "role change in a stable period (since " + History.time(d.at(period) + b) + "): " + r.text()));
        }
        s.apply(e);
      }
      if (inPeriod && s.loss < Bounds.STABLE_LOSS) {
        checkSingleMaster(s, te, period, reported);
      }
    }
    return violations;
  }

  private void checkSingleMaster(ClusterState s, long t, int period, Set<Integer> reported) {
    for (Set<String> p : s.partitions()) {
      if (p.stream().anyMatch(s::stalled) || p.stream().noneMatch(s::eligible)) {
        continue;
      }
      List<String> masters = s.masters(p);
      Set<String> owners = new TreeSet<>(s.owners);
      owners.retainAll(p);
      if (masters.size() != 1 || !owners.equals(Set.copyOf(masters))) {
        if (reported.add(period * 8 + 1)) {
          violations.add(new Violation(Invariant.S1, t, "partition " + p + " has masters " + masters
              + " and VIP owners " + owners + " (exactly one master owning the VIP expected)"));
        }
      }
    }
  }

  private void checkConverged(ClusterState s, long t, int period, Set<Integer> reported) {
    for (Set<String> p : s.partitions()) {
      if (p.stream().anyMatch(s::stalled) || p.stream().noneMatch(s::eligible)) {
        continue;
      }
      List<String> masters = s.masters(p);
      String problem = null;
      if (masters.size() != 1) {
        problem = "partition " + p + " has not converged " + History.time(bounds.convergenceNanos())
            + " after the last disturbance: masters " + masters;
      } else if (cluster.preempt()) {
        int best = p.stream().filter(s::eligible).mapToInt(s::priority).max().orElse(0);
        String m = masters.get(0);
        if (s.priority(m) < best) {
          problem = "with preempt, partition " + p + " has master " + m + " (priority " + s.priority(m)
              + ") while an eligible member has priority " + best;
        }
      }
      if (problem != null && reported.add(period * 8 + 3)) {
        violations.add(new Violation(Invariant.L3, t, problem));
      }
    }
  }
}
