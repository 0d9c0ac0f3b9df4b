package io.ha4j.api.table;

import io.ha4j.api.RealServer;
import io.ha4j.api.VirtualService;
import java.util.List;
import java.util.Objects;

/** One virtual service of a load-balancer table with its real servers. */
public record TableEntry(VirtualService service, List<RealServer> realServers) {
  public TableEntry {
    Objects.requireNonNull(service, "service");
    realServers = List.copyOf(Objects.requireNonNull(realServers, "realServers"));
  }
}
