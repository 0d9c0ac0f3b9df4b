package io.ha4j.testkit.cluster;

import io.ha4j.api.Clock;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableException;
import io.ha4j.api.table.TableOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load-balancer table of one simulated host: in memory, with the kernel's answers for
 * duplicates and missing entries, recording each applied batch in the cluster's {@link History}.
 * It stands in for the fake IPVS kernel; the invariants only look at who changed what when.
 */
final class RecordingTable implements LoadBalancerTable {

  private final String node;
  private final History history;
  private final Clock timeline;
  private final Map<ServiceKey, TableEntry> entries = new LinkedHashMap<>();

  RecordingTable(String node, History history, Clock timeline) {
    this.node = node;
    this.history = history;
    this.timeline = timeline;
  }

  @Override
  public List<TableEntry> read() {
    return List.copyOf(entries.values());
  }

  @Override
  public ApplyResult apply(List<TableOp> ops) {
    List<ApplyResult.Failure> failures = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      TableOp op = ops.get(i);
      try {
        applyOne(op);
        done.add(describe(op));
      } catch (TableException e) {
        failures.add(new ApplyResult.Failure(i, op, e));
      }
    }
    if (!done.isEmpty()) {
      history.record(new History.TableChanged(timeline.nanoTime(), node, String.join(", ", done)));
    }
    return new ApplyResult(ops.size(), failures);
  }

  private void applyOne(TableOp op) {
    ServiceKey key = op.serviceKey();
    TableEntry e = entries.get(key);
    if (op instanceof TableOp.AddService a) {
      if (e != null) {
        throw new TableException(TableException.Reason.EXISTS, 17, "service exists " + key, null);
      }
      entries.put(key, new TableEntry(a.service(), List.of()));
    } else if (op instanceof TableOp.UpdateService u) {
      entries.put(key, new TableEntry(u.service(), require(e, key).realServers()));
    } else if (op instanceof TableOp.DeleteService) {
      require(e, key);
      entries.remove(key);
    } else if (op instanceof TableOp.AddRealServer a) {
      TableEntry s = require(e, key);
      if (s.realServers().stream().anyMatch(r -> r.endpoint().equals(a.realServer().endpoint()))) {
        throw new TableException(TableException.Reason.EXISTS, 17, "real server exists " + a.realServer(), null);
      }
      List<RealServer> list = new ArrayList<>(s.realServers());
      list.add(a.realServer());
      entries.put(key, new TableEntry(s.service(), list));
    } else if (op instanceof TableOp.UpdateRealServer u) {
      replace(require(e, key), u.realServer().endpoint(), u.realServer());
    } else if (op instanceof TableOp.DeleteRealServer d) {
      replace(require(e, key), d.endpoint(), null);
    }
  }

  private void replace(TableEntry s, RealServer.Endpoint endpoint, @org.jspecify.annotations.Nullable RealServer with) {
    List<RealServer> list = new ArrayList<>();
    boolean found = false;
    for (RealServer r : s.realServers()) {
      if (r.endpoint().equals(endpoint)) {
        found = true;
        if (with != null) {
          list.add(with);
        }
      } else {
        list.add(r);
      }
    }
    if (!found) {
      throw new TableException(TableException.Reason.NOT_FOUND, 2, "no real server " + endpoint, null);
    }
    entries.put(s.service().key(), new TableEntry(s.service(), list));
  }

  private static TableEntry require(@org.jspecify.annotations.Nullable TableEntry e, ServiceKey key) {
    if (e == null) {
      throw new TableException(TableException.Reason.NO_SUCH_SERVICE, 3, "no service " + key, null);
    }
    return e;
  }

  private static String describe(TableOp op) {
    String kind;
    if (op instanceof TableOp.AddRealServer a) {
      kind = "add-real-server " + a.realServer().endpoint();
    } else if (op instanceof TableOp.UpdateRealServer u) {
      kind = "update-real-server " + u.realServer().endpoint();
    } else if (op instanceof TableOp.DeleteRealServer d) {
      kind = "delete-real-server " + d.endpoint();
    } else if (op instanceof TableOp.AddService) {
      kind = "add-service";
    } else if (op instanceof TableOp.UpdateService) {
      kind = "update-service";
    } else {
      kind = "delete-service";
    }
    return kind + " " + op.serviceKey();
  }

  @Override
  public void close() {}
}
