package io.ha4j.director;

import io.ha4j.api.reconcile.DesiredService;
import java.util.List;
import java.util.Objects;

/**
 * One {@code virtual_server} block.
 *
 * @param service the virtual service and its real servers as the table should hold them
 * @param checks one check per real server that has a checker block; a real server without one is
 *     always up, as in keepalived
 * @param alpha keepalived's {@code alpha}: real servers count as down until their first check
 */
public record VirtualServerConfig(DesiredService service, List<RealServerCheck> checks, boolean alpha) {

  public VirtualServerConfig {
    Objects.requireNonNull(service, "service");
    checks = List.copyOf(checks);
  }
}
