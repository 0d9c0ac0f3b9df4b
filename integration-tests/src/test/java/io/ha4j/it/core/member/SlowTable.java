package io.ha4j.it.core.member;

import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableOp;
import java.util.List;

/**
 * A load-balancer table whose every full read first runs {@code stall} (a thread blocked on a
 * netlink reply: a sleep, or a virtual scheduler's freeze), and counts the reads.
 */
public final class SlowTable implements LoadBalancerTable {

  private final LoadBalancerTable table;
  private final Runnable stall;
  private volatile int reads;

  public SlowTable(LoadBalancerTable table, Runnable stall) {
    this.table = table;
    this.stall = stall;
  }

  /** Full reads so far. */
  public int reads() {
    return reads;
  }

  @Override
  public List<TableEntry> read() {
    reads++;
    stall.run();
    return table.read();
  }

  @Override
  public ApplyResult apply(List<TableOp> ops) {
    return table.apply(ops);
  }

  @Override
  public void close() {
    table.close();
  }
}
