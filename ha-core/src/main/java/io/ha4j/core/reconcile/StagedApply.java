package io.ha4j.core.reconcile;

import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableException;
import io.ha4j.api.table.TableOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a plan's ops so that a failed op never takes a service's last live destination with it.
 *
 * <p>The ops that take live capacity away (a real server deleted or set to weight 0) of a service
 * that also gains capacity in the same plan (an add, a weight raised: the sorry server coming in,
 * a new real server) go in a second batch, after the first batch's results are known. When a gain
 * failed and the losses would leave the service with no destination of weight above 0, the losses
 * are held back, reported as failed, and planned again by the next pass: a failed sorry-server add
 * then leaves the dead servers in place rather than an empty service. Everything else is applied in
 * one batch, in the plan's order, as before.
 */
final class StagedApply {

  private StagedApply() {}

  /** Applies {@code plan} over {@code actual} (what the table held when planned). */
  static ApplyResult apply(LoadBalancerTable table, Plan plan, List<TableEntry> actual) {
    List<TableOp> ops = plan.ops();
    Set<ServiceKey> gaining = new HashSet<>();
    for (TableOp op : ops) {
      if (gains(op)) {
        gaining.add(op.serviceKey());
      }
    }
    List<Integer> first = new ArrayList<>();
    List<Integer> second = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      (loses(ops.get(i)) && gaining.contains(ops.get(i).serviceKey()) ? second : first).add(i);
    }
    if (second.isEmpty()) {
      return table.apply(ops);
    }
    List<ApplyResult.Failure> failures = new ArrayList<>();
    Set<Integer> failed = new HashSet<>();
    applyBatch(table, ops, first, failures, failed);
    Set<ServiceKey> held = heldBack(ops, first, second, failed, actual);
    List<Integer> send = new ArrayList<>();
    for (int i : second) {
      if (held.contains(ops.get(i).serviceKey())) {
        failures.add(new ApplyResult.Failure(i, ops.get(i), new TableException(TableException.Reason.OTHER, 0,
            "held back: an add to " + ops.get(i).serviceKey() + " failed, and this op would leave it without a live"
                + " real server", null)));
      } else {
        send.add(i);
      }
    }
    applyBatch(table, ops, send, failures, failed);
    failures.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return new ApplyResult(ops.size(), failures);
  }

  /** Applies the ops at {@code indexes}, noting failures under their index in the plan. */
  private static void applyBatch(LoadBalancerTable table, List<TableOp> ops, List<Integer> indexes,
      List<ApplyResult.Failure> failures, Set<Integer> failed) {
    if (indexes.isEmpty()) {
      return;
    }
    List<TableOp> batch = new ArrayList<>(indexes.size());
    for (int i : indexes) {
      batch.add(ops.get(i));
    }
    for (ApplyResult.Failure f : table.apply(batch).failures()) {
      int index = indexes.get(f.index());
      failed.add(index);
      failures.add(new ApplyResult.Failure(index, f.op(), f.error()));
    }
  }

  /**
   * The services of the second batch that a failed gain of the first would leave with no live
   * destination once the second batch is applied.
   */
  private static Set<ServiceKey> heldBack(List<TableOp> ops, List<Integer> first, List<Integer> second,
      Set<Integer> failed, List<TableEntry> actual) {
    Set<ServiceKey> failedGain = new HashSet<>();
    for (int i : first) {
      if (failed.contains(i) && gains(ops.get(i))) {
        failedGain.add(ops.get(i).serviceKey());
      }
    }
    Set<ServiceKey> held = new HashSet<>();
    if (failedGain.isEmpty()) {
      return held;
    }
    Map<ServiceKey, Map<RealServer.Endpoint, Integer>> weights = new HashMap<>();
    for (TableEntry e : actual) {
      Map<RealServer.Endpoint, Integer> w = new LinkedHashMap<>();
      e.realServers().forEach(rs -> w.put(rs.endpoint(), rs.weight()));
      weights.put(e.service().key(), w);
    }
    for (int i : first) {
      if (!failed.contains(i)) {
        follow(weights, ops.get(i));
      }
    }
    for (int i : second) {
      follow(weights, ops.get(i));
    }
    for (ServiceKey key : failedGain) {
      Map<RealServer.Endpoint, Integer> w = weights.get(key);
      if (w == null || w.values().stream().noneMatch(weight -> weight > 0)) {
        held.add(key);
      }
    }
    return held;
  }

  /** The destinations' weights after {@code op}. */
  private static void follow(Map<ServiceKey, Map<RealServer.Endpoint, Integer>> weights, TableOp op) {
    if (op instanceof TableOp.AddService) {
      weights.putIfAbsent(op.serviceKey(), new LinkedHashMap<>());
    } else if (op instanceof TableOp.DeleteService) {
      weights.remove(op.serviceKey());
    } else if (op instanceof TableOp.AddRealServer a) {
      weights.computeIfAbsent(op.serviceKey(), k -> new LinkedHashMap<>())
          .put(a.realServer().endpoint(), a.realServer().weight());
    } else if (op instanceof TableOp.UpdateRealServer u) {
      weights.computeIfAbsent(op.serviceKey(), k -> new LinkedHashMap<>())
          .put(u.realServer().endpoint(), u.realServer().weight());
    } else if (op instanceof TableOp.DeleteRealServer d) {
      Map<RealServer.Endpoint, Integer> w = weights.get(op.serviceKey());
      if (w != null) {
        w.remove(d.endpoint());
      }
    }
  }

  /** Whether {@code op} may give a service live capacity it lacked. */
  private static boolean gains(TableOp op) {
    return op instanceof TableOp.AddRealServer a && a.realServer().weight() > 0
        || op instanceof TableOp.UpdateRealServer u && u.realServer().weight() > 0;
  }

  /** Whether {@code op} takes live capacity away. */
  private static boolean loses(TableOp op) {
    return op instanceof TableOp.DeleteRealServer
        || op instanceof TableOp.UpdateRealServer u && u.realServer().weight() == 0;
  }
}
