package io.ha4j.core.reconcile;

import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableException;
import io.ha4j.api.table.TableException.Reason;
import io.ha4j.api.table.TableOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A load-balancer table in memory that refuses ops the way the kernel's ip_vs_ctl.c does: EEXIST for
 * a service or destination that exists, ESRCH for a missing service, ENOENT for a missing
 * destination, ERANGE for a lower threshold above the upper one. Not the byte-level fake of the
 * testkit: it exists to prove that the reconciler's ops are valid in order.
 */
final class InMemoryTable implements LoadBalancerTable {

  private static final int ENOENT = 2;
  private static final int ESRCH = 3;
  private static final int EEXIST = 17;
  private static final int ERANGE = 34;

  private final Map<ServiceKey, VirtualService> services = new LinkedHashMap<>();
  private final Map<ServiceKey, Map<RealServer.Endpoint, RealServer>> dests = new LinkedHashMap<>();
  private final List<TableOp> applied = new ArrayList<>();
  /** Injected faults: (index in the batch, op) to an error, or null to let the op through. */
  private BiFunction<Integer, TableOp, TableException> faults = (i, op) -> null;
  private boolean unreachable;
  private boolean applyUnreachable;

  InMemoryTable(List<TableEntry> initial) {
    for (TableEntry e : initial) {
      ServiceKey key = e.service().key();
      services.put(key, e.service());
      Map<RealServer.Endpoint, RealServer> m = new LinkedHashMap<>();
      for (RealServer rs : e.realServers()) {
        m.put(rs.endpoint(), rs);
      }
      dests.put(key, m);
    }
  }

  void injectFaults(BiFunction<Integer, TableOp, TableException> f) {
    faults = f;
  }

  void unreachable(boolean on) {
    unreachable = on;
  }

  /** Reads still work but apply fails as a whole, as when the netlink socket dies mid-pass. */
  void applyUnreachable(boolean on) {
    applyUnreachable = on;
  }

  /** Every op that changed the table, in order. */
  List<TableOp> applied() {
    return List.copyOf(applied);
  }

  @Override
  public List<TableEntry> read() {
    if (unreachable) {
      throw new TableException(Reason.TIMEOUT, 0, "table unreachable", null);
    }
    List<TableEntry> out = new ArrayList<>();
    for (var e : services.entrySet()) {
      out.add(new TableEntry(e.getValue(), List.copyOf(dests.get(e.getKey()).values())));
    }
    return out;
  }

  @Override
  public ApplyResult apply(List<TableOp> ops) {
    if (unreachable || applyUnreachable) {
      throw new TableException(Reason.TIMEOUT, 0, "table unreachable", null);
    }
    List<ApplyResult.Failure> failures = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      TableOp op = ops.get(i);
      TableException error = faults.apply(i, op);
      if (error == null) {
        error = applyOne(op);
      }
      if (error != null) {
        failures.add(new ApplyResult.Failure(i, op, error));
      } else {
        applied.add(op);
      }
    }
    return new ApplyResult(ops.size(), failures);
  }

  private TableException applyOne(TableOp op) {
    ServiceKey key = op.serviceKey();
    if (op instanceof TableOp.AddService a) {
      if (services.containsKey(key)) {
        return error(Reason.EXISTS, EEXIST, "service exists: " + key);
      }
      services.put(key, a.service());
      dests.put(key, new LinkedHashMap<>());
      return null;
    }
    if (!services.containsKey(key)) {
      return error(Reason.NO_SUCH_SERVICE, ESRCH, "no such service: " + key);
    }
    Map<RealServer.Endpoint, RealServer> d = dests.get(key);
    if (op instanceof TableOp.UpdateService u) {
      services.put(key, u.service());
    } else if (op instanceof TableOp.DeleteService) {
      services.remove(key);
      dests.remove(key);
    } else if (op instanceof TableOp.AddRealServer a) {
      return putDestination(d, a.realServer(), false);
    } else if (op instanceof TableOp.UpdateRealServer u) {
      return putDestination(d, u.realServer(), true);
    } else if (op instanceof TableOp.DeleteRealServer del) {
      if (d.remove(del.endpoint()) == null) {
        return error(Reason.NOT_FOUND, ENOENT, "no such destination: " + del.endpoint());
      }
    }
    return null;
  }

  /** ipvsadm -a ({@code exists} false) or -e ({@code exists} true). */
  private static TableException putDestination(
      Map<RealServer.Endpoint, RealServer> d, RealServer rs, boolean exists) {
    if (d.containsKey(rs.endpoint()) != exists) {
      return exists
          ? error(Reason.NOT_FOUND, ENOENT, "no such destination: " + rs.endpoint())
          : error(Reason.EXISTS, EEXIST, "destination exists: " + rs.endpoint());
    }
    // ip_vs_ctl.c ip_vs_add_dest/ip_vs_edit_dest: l_threshold > u_threshold is -ERANGE
    if (rs.lowerThreshold() > rs.upperThreshold()) {
      return error(Reason.INVALID, ERANGE, "lower threshold above upper threshold: " + rs.endpoint());
    }
    d.put(rs.endpoint(), rs);
    return null;
  }

  private static TableException error(Reason reason, int errno, String message) {
    return new TableException(reason, errno, message, null);
  }

  @Override
  public void close() {}
}
