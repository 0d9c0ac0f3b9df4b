package io.ha4j.testkit.cluster;

import io.ha4j.api.Role;
import io.ha4j.api.table.TableOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Replays a {@link History} and checks the {@link Invariant}s over it. */
final class HistoryAnalysis {

  private final History history;
  private final ClusterConfig cluster;
  private final Bounds bounds;
  private final List<History.Event> events;
  private final List<Violation> violations = new ArrayList<>();

  HistoryAnalysis(History history) {
    this.history = history;
    this.cluster = history.cluster();
    this.bounds = Bounds.of(history);
    this.events = history.events();
  }

  /** The cluster as the history tells it, at one instant. */
  private final class State {
    final Map<String, Role> role = new LinkedHashMap<>();
    final Set<String> up = new TreeSet<>();
    final Set<String> owners = new TreeSet<>();
    final Set<String> interfaceDown = new HashSet<>();
    final Set<String> checkDown = new HashSet<>();
    final Map<String, Long> stalledUntil = new HashMap<>();
    final Set<String> cut = new HashSet<>();
    double loss;

    State() {
      for (String n : cluster.nodes()) {
        role.put(n, Role.INIT);
        up.add(n);
      }
    }

    void apply(History.Event e) {
      if (e instanceof History.RoleChanged r) {
        role.put(r.node(), r.to());
      } else if (e instanceof History.AddressAdded a) {
        owners.add(a.node());
      } else if (e instanceof History.AddressRemoved a) {
        owners.remove(a.node());
      } else if (e instanceof History.StallEnded s) {
        stalledUntil.remove(s.node());
      } else if (e instanceof History.FaultApplied f) {
        applyFault(f.atNanos(), f.fault());
      }
    }

    private void applyFault(long at, Fault fault) {
      if (fault instanceof Fault.Crash c) {
        up.remove(c.node());
        role.put(c.node(), Role.INIT);
        stalledUntil.remove(c.node());
      } else if (fault instanceof Fault.Stop s) {
        up.remove(s.node());
      } else if (fault instanceof Fault.Restart r) {
        up.add(r.node());
      } else if (fault instanceof Fault.Stall s) {
        if (up.contains(s.node())) {
          stalledUntil.merge(s.node(), at + s.duration().toNanos(), Math::max);
        }
      } else if (fault instanceof Fault.PriorityDrop p) {
        checkDown.add(p.node());
      } else if (fault instanceof Fault.PriorityRestore p) {
        checkDown.remove(p.node());
      } else if (fault instanceof Fault.InterfaceDown i) {
        interfaceDown.add(i.node());
      } else if (fault instanceof Fault.InterfaceUp i) {
        interfaceDown.remove(i.node());
      } else if (fault instanceof Fault.Partition p) {
        for (int i = 0; i < p.sides().size(); i++) {
          for (int j = 0; j < p.sides().size(); j++) {
            if (i != j) {
              for (String a : p.sides().get(i)) {
                for (String b : p.sides().get(j)) {
                  cut.add(a + ">" + b);
                }
              }
            }
          }
        }
      } else if (fault instanceof Fault.Cut c) {
        cut.add(c.from() + ">" + c.to());
      } else if (fault instanceof Fault.Heal) {
        cut.clear();
      } else if (fault instanceof Fault.Loss l) {
        loss = l.probability();
      }
    }

    boolean stalled(String n) {
      return stalledUntil.containsKey(n);
    }

    boolean eligible(String n) {
      return up.contains(n) && !interfaceDown.contains(n) && !stalled(n);
    }

    int priority(String n) {
      int p = cluster.priority(n) - (checkDown.contains(n) ? ClusterConfig.PRIORITY_DROP : 0);
      return Math.max(1, Math.min(254, p));
    }

    boolean linked(String a, String b) {
      return !cut.contains(a + ">" + b) && !cut.contains(b + ">" + a);
    }

    /** The connected partitions (see {@link Invariant}) among the up members. */
    List<Set<String>> partitions() {
      List<Set<String>> result = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (String start : up) {
        if (seen.contains(start)) {
          continue;
        }
        Set<String> comp = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(start));
        while (!todo.isEmpty()) {
          String n = todo.remove(todo.size() - 1);
          if (comp.add(n)) {
            for (String m : up) {
              if (!comp.contains(m) && linked(n, m)) {
                todo.add(m);
              }
            }
          }
        }
        seen.addAll(comp);
        if (clean(comp)) {
          result.add(comp);
        }
      }
      return result;
    }

    private boolean clean(Set<String> comp) {
      for (String a : comp) {
        for (String b : up) {
          if (a.equals(b)) {
            continue;
          }
          boolean ab = !cut.contains(a + ">" + b);
          boolean ba = !cut.contains(b + ">" + a);
          if (comp.contains(b) ? !(ab && ba) : (ab || ba)) {
            return false;
          }
        }
      }
      return true;
    }

    List<String> masters(Set<String> comp) {
      return comp.stream().filter(n -> role.get(n) == Role.MASTER).toList();
    }
  }

  List<Violation> run() {
    long[] disturbances = disturbances();
    checkPeriods(disturbances);
    checkSplitBrain();
    checkRealServers();
    violations.sort((a, b) -> a.invariant() != b.invariant()
        ? a.invariant().compareTo(b.invariant()) : Long.compare(a.atNanos(), b.atNanos()));
    return List.copyOf(violations);
  }

  /**
   * Times of the disturbances, starting with the start of the members at 0. A stall is harmless
   * (no disturbance) only if {@link Bounds#harmlessStall} says so, the member was not stalled
   * already, it starts at least {@code B} after the previous disturbance, and no other fault comes
   * before {@code A + D} after its end: a stall amid other faults delays what they set in motion.
   */
  private long[] disturbances() {
    List<Long> times = new ArrayList<>();
    times.add(0L);
    State s = new State();
    Set<String> harmfulStall = new HashSet<>();
    long b = bounds.convergenceNanos();
    for (int i = 0; i < events.size(); i++) {
      History.Event e = events.get(i);
      if (e instanceof History.FaultApplied f && !(f.fault() instanceof Fault.RealServerFault)) {
        boolean counts = true;
        if (f.fault() instanceof Fault.Stall st) {
          String n = st.node();
          boolean backup = s.role.get(n) != Role.MASTER;
          long quietUntil = f.atNanos() + st.duration().toNanos() + bounds.advertisementNanos() + bounds.maxDelayNanos();
          if (!s.up.contains(n)) {
            counts = false;
          } else if (!s.stalled(n) && bounds.harmlessStall(st.duration().toNanos(), backup)
              && times.get(times.size() - 1) <= f.atNanos() - b && noFaultBetween(i, quietUntil)) {
            counts = false;
          } else {
            harmfulStall.add(n);
          }
        }
        if (counts) {
          times.add(f.atNanos());
        }
      } else if (e instanceof History.StallEnded se && harmfulStall.remove(se.node())) {
        times.add(se.atNanos());
      }
      s.apply(e);
    }
    return times.stream().mapToLong(Long::longValue).toArray();
  }

  private boolean noFaultBetween(int index, long until) {
    for (int j = index + 1; j < events.size() && events.get(j).atNanos() <= until; j++) {
      if (electionFault(events.get(j))) {
        return false;
      }
    }
    for (int j = index - 1; j >= 0 && events.get(j).atNanos() == events.get(index).atNanos(); j--) {
      if (electionFault(events.get(j))) {
        return false;
      }
    }
    return true;
  }

  /** A fault the election can see: all but the real servers' (members learn of those by checks). */
  private static boolean electionFault(History.Event e) {
    return e instanceof History.FaultApplied f && !(f.fault() instanceof Fault.RealServerFault);
  }

  /** S1, L1, L2, L3: replays the history, checking at the start and every instant of a stable period. */
  private void checkPeriods(long[] d) {
    long b = bounds.convergenceNanos();
    long end = history.endNanos();
    List<long[]> starts = new ArrayList<>();
    for (int k = 0; k < d.length; k++) {
      long start = d[k] + b;
      long stop = k + 1 < d.length ? d[k + 1] : end + 1;
      if (start < stop && start <= end) {
        starts.add(new long[] {start, k});
      }
    }
    State s = new State();
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
      int period = periodOf(d, te);
      boolean inPeriod = inPeriod(d, period, te, b, end) && s.loss < Bounds.STABLE_LOSS;
      for (; i < events.size() && events.get(i).atNanos() == te; i++) {
        History.Event e = events.get(i);
        if (e instanceof History.FaultApplied f) {
          checkFailover(s, f, i, d);
        }
        if (inPeriod && e instanceof History.RoleChanged r && reported.add(period * 8 + 2)) {
          violations.add(new Violation(Invariant.L2, te,
              "role change in a stable period (since " + History.time(d[period] + b) + "): " + r.text()));
        }
        s.apply(e);
      }
      if (inPeriod && s.loss < Bounds.STABLE_LOSS) {
        checkSingleMaster(s, te, period, reported);
      }
    }
  }

  /** The index of the last disturbance at or before {@code t}. */
  private static int periodOf(long[] d, long t) {
    int j = 0;
    for (int x = 0; x < d.length && d[x] <= t; x++) {
      j = x;
    }
    return j;
  }

  private static boolean inPeriod(long[] d, int period, long t, long b, long end) {
    long stop = period + 1 < d.length ? d[period + 1] : end + 1;
    return d[period] + b <= t && t < stop;
  }

  private void checkSingleMaster(State s, long t, int period, Set<Integer> reported) {
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

  private void checkConverged(State s, long t, int period, Set<Integer> reported) {
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

  /** L1 at a fault that takes a master away. */
  private void checkFailover(State s, History.FaultApplied f, int index, long[] d) {
    Fault fault = f.fault();
    boolean crash = fault instanceof Fault.Crash;
    if (!(crash || fault instanceof Fault.Stop || fault instanceof Fault.Restart
        || fault instanceof Fault.InterfaceDown)) {
      return;
    }
    String m = fault.node();
    long t = f.atNanos();
    long b = bounds.convergenceNanos();
    if (m == null || s.role.get(m) != Role.MASTER || !s.eligible(m) || s.loss >= Bounds.STABLE_LOSS) {
      return;
    }
    // Settled: the previous disturbance lies at least B back, and no other one shares this instant.
    long previous = Long.MIN_VALUE;
    int atThisInstant = 0;
    for (long x : d) {
      if (x < t) {
        previous = Math.max(previous, x);
      } else if (x == t) {
        atThisInstant++;
      }
    }
    if (previous > t - b || atThisInstant != 1) {
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
    long limit = t + (crash ? bounds.crashFailoverNanos(best) : bounds.handoverNanos(best));
    if (limit > history.endNanos()) {
      return;
    }
    for (long x : d) {
      if (x > t && x <= limit) {
        return;
      }
    }
    List<String> takeovers = new ArrayList<>();
    for (int j = index + 1; j < events.size() && events.get(j).atNanos() <= limit; j++) {
      if (events.get(j) instanceof History.RoleChanged r && r.to() == Role.MASTER && backups.contains(r.node())) {
        takeovers.add(r.node());
      }
    }
    String what = (crash ? "crash" : "hand-over") + " of master " + m;
    if (takeovers.isEmpty()) {
      violations.add(new Violation(Invariant.L1, t, "no backup of " + backups + " became master within "
          + History.time(limit - t) + " after the " + what));
      return;
    }
    List<String> bestOnes = backups.stream().filter(n -> s.priority(n) == best).toList();
    int second = backups.stream().mapToInt(s::priority).filter(p -> p < best).max().orElse(0);
    boolean noDrift = bounds.driftFactor() == 1.0 && bounds.fastestRate() == 1.0;
    long gap = bounds.skewNanos(second) - bounds.skewNanos(best);
    boolean separated = second == 0 || gap > bounds.delaySpreadNanos() + bounds.maxDelayNanos() + 1_000_000;
    if (noDrift && bestOnes.size() == 1 && separated) {
      for (String n : takeovers) {
        if (!n.equals(bestOnes.get(0))) {
          violations.add(new Violation(Invariant.L1, t, "after the " + what + ", " + n + " (priority "
              + s.priority(n) + ") became master too, though " + bestOnes.get(0) + " (priority " + best
              + ") leads it by " + History.time(gap) + " of skew"));
          return;
        }
      }
    }
  }

  /** S2: continuous double ownership between two members that hear each other. */
  private void checkSplitBrain() {
    long b = bounds.convergenceNanos();
    State s = new State();
    List<String> nodes = cluster.nodes();
    Map<String, Long> since = new HashMap<>();
    int i = 0;
    while (true) {
      long t = i < events.size() ? events.get(i).atNanos() : history.endNanos();
      for (Map.Entry<String, Long> e : since.entrySet()) {
        if (e.getValue() != null && e.getValue() >= 0 && t - e.getValue() > b) {
          violations.add(new Violation(Invariant.S2, e.getValue() + b, "members " + e.getKey()
              + " both own the VIP while they hear each other, for longer than " + History.time(b)));
          e.setValue(Long.MIN_VALUE);
        }
      }
      if (i >= events.size()) {
        return;
      }
      for (; i < events.size() && events.get(i).atNanos() == t; i++) {
        s.apply(events.get(i));
      }
      for (int x = 0; x < nodes.size(); x++) {
        for (int y = x + 1; y < nodes.size(); y++) {
          String a = nodes.get(x);
          String c = nodes.get(y);
          String key = a + "," + c;
          boolean both = s.up.contains(a) && s.up.contains(c) && s.owners.contains(a) && s.owners.contains(c)
              && s.linked(a, c) && !s.stalled(a) && !s.stalled(c) && s.loss < Bounds.STABLE_LOSS;
          Long old = since.get(key);
          if (!both) {
            since.remove(key);
          } else if (old == null) {
            since.put(key, t);
          }
        }
      }
    }
  }

  /**
   * H1: from {@link Bounds#detectionNanos} after a real server failed (or after a member started
   * or resumed, whichever is later), no running, unstalled member's table has it at a weight above
   * 0.
   */
  private void checkRealServers() {
    RealServerPool pool = cluster.realServers();
    long bound = bounds.detectionNanos(pool);
    State s = new State();
    Map<String, Long> downSince = new HashMap<>();
    Map<String, Long> runningSince = new HashMap<>();
    Map<String, Map<String, Integer>> weights = new HashMap<>();
    Set<String> reported = new HashSet<>();
    int i = 0;
    while (true) {
      long t = i < events.size() ? events.get(i).atNanos() : history.endNanos() + 1;
      // The state after the previous instant held until t.
      for (Map.Entry<String, Long> d : downSince.entrySet()) {
        for (String n : cluster.nodes()) {
          Integer w = table(weights, n).get(d.getKey());
          long deadline = Math.max(d.getValue(), runningSince.getOrDefault(n, 0L)) + bound;
          if (w != null && w > 0 && s.up.contains(n) && !s.stalled(n) && t > deadline
              && reported.add(n + " " + d.getKey() + " " + d.getValue())) {
            violations.add(new Violation(Invariant.H1, deadline, n + "'s table still sends " + d.getKey()
                + " traffic (weight " + w + ") " + History.time(deadline - d.getValue()) + " after it failed;"
                + " the detection bound is " + History.time(bound)));
          }
        }
      }
      if (i >= events.size()) {
        return;
      }
      for (; i < events.size() && events.get(i).atNanos() == t; i++) {
        History.Event e = events.get(i);
        if (e instanceof History.FaultApplied f) {
          if (f.fault() instanceof Fault.RealServerDown d) {
            downSince.putIfAbsent(d.realServer(), t);
          } else if (f.fault() instanceof Fault.RealServerUp u) {
            downSince.remove(u.realServer());
          } else if (f.fault() instanceof Fault.Crash c) {
            table(weights, c.node()).clear();
          } else if (f.fault() instanceof Fault.Restart r) {
            runningSince.put(r.node(), t);
          }
        } else if (e instanceof History.StallEnded se) {
          runningSince.put(se.node(), t);
        } else if (e instanceof History.TableChanged tc) {
          applyOps(pool, table(weights, tc.node()), tc.applied());
        }
        s.apply(e);
      }
    }
  }

  private static Map<String, Integer> table(Map<String, Map<String, Integer>> weights, String node) {
    return weights.computeIfAbsent(node, k -> new HashMap<>());
  }

  private static void applyOps(RealServerPool pool, Map<String, Integer> weights, List<TableOp> ops) {
    for (TableOp op : ops) {
      if (op instanceof TableOp.DeleteService) {
        weights.clear();
      } else if (op instanceof TableOp.AddRealServer a) {
        put(pool, weights, a.realServer());
      } else if (op instanceof TableOp.UpdateRealServer u) {
        put(pool, weights, u.realServer());
      } else if (op instanceof TableOp.DeleteRealServer d) {
        String name = pool.nameOf(d.endpoint().address());
        if (name != null) {
          weights.remove(name);
        }
      }
    }
  }

  private static void put(RealServerPool pool, Map<String, Integer> weights, io.ha4j.api.RealServer server) {
    String name = pool.nameOf(server.address());
    if (name != null) {
      weights.put(name, server.weight());
    }
  }
}
