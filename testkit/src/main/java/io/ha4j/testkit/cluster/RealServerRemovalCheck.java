package io.ha4j.testkit.cluster;

import io.ha4j.api.RealServer;
import io.ha4j.api.table.TableOp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Invariant#H1}: from {@link Bounds#detectionNanos} after a real server failed (or after a
 * member started or resumed, whichever is later), no running, unstalled member's table has it at a
 * weight above 0. Replays each member's table from the operations it applied.
 */
final class RealServerRemovalCheck {

  private RealServerRemovalCheck() {}

  /** Adds the violations in {@code history} to {@code violations}. */
  static void check(History history, Bounds bounds, List<Violation> violations) {
    List<History.Event> events = history.events();
    ClusterConfig cluster = history.cluster();
    RealServerPool pool = cluster.realServers();
    long bound = bounds.detectionNanos(pool);
    ClusterState s = new ClusterState(cluster);
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
          } else if (f.fault() instanceof Fault.Boot r) {
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

  private static void put(RealServerPool pool, Map<String, Integer> weights, RealServer server) {
    String name = pool.nameOf(server.address());
    if (name != null) {
      weights.put(name, server.weight());
    }
  }
}
