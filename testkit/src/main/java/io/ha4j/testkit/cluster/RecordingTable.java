package io.ha4j.testkit.cluster;

import io.ha4j.api.Clock;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Records in the cluster's {@link History} every batch of load-balancer table ops a member applies
 * (through the IPVS client to the fake IPVS kernel), with the ops that succeeded.
 */
final class RecordingTable implements LoadBalancerTable {

  private final String node;
  private final LoadBalancerTable delegate;
  private final History history;
  private final Clock timeline;

  RecordingTable(String node, LoadBalancerTable delegate, History history, Clock timeline) {
    this.node = node;
    this.delegate = delegate;
    this.history = history;
    this.timeline = timeline;
  }

  @Override
  public List<TableEntry> read() {
    return delegate.read();
  }

  @Override
  public ApplyResult apply(List<TableOp> ops) {
    ApplyResult result = delegate.apply(ops);
    Set<Integer> failed = new HashSet<>();
    result.failures().forEach(f -> failed.add(f.index()));
    List<TableOp> applied = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (!failed.contains(i)) {
        applied.add(ops.get(i));
        done.add(ops.get(i).describe());
      }
    }
    if (!done.isEmpty()) {
      history.record(new History.TableChanged(timeline.nanoTime(), node, String.join("; ", done), applied));
    }
    return result;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
