package io.ha4j.api.table;

import java.util.List;

/**
 * A load-balancer table: the Linux IPVS table, a fake of it, or anything else that holds virtual
 * services with real servers. Implemented by {@code ha-ipvs-netlink} for the kernel.
 */
public interface LoadBalancerTable extends AutoCloseable {

  /**
   * Reads every virtual service with its real servers.
   *
   * @throws TableException if the table cannot be read
   */
  List<TableEntry> read();

  /**
   * Applies {@code ops} in order. Implementations may pipeline them, but an op is applied only
   * after the ops before it. A failed op does not stop the ones after it; the result names every
   * failure.
   *
   * @throws TableException if the table cannot be reached at all
   */
  ApplyResult apply(List<TableOp> ops);

  @Override
  void close();
}
