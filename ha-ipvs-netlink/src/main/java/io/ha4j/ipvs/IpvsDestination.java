package io.ha4j.ipvs;

import io.ha4j.api.RealServer;
import java.util.Objects;

/**
 * A real server ("destination") as the kernel reports it.
 *
 * @param realServer the server in ha4j's model
 * @param localNode whether the kernel forwards locally because the address is the director's own
 *     ({@code IP_VS_CONN_F_LOCALNODE}; ipvsadm prints {@code Local}); the model then says DR
 * @param activeConnections established connections
 * @param inactiveConnections connections in other states
 * @param persistentConnections persistence templates
 * @param stats the server's counters
 */
public record IpvsDestination(
    RealServer realServer,
    boolean localNode,
    int activeConnections,
    int inactiveConnections,
    int persistentConnections,
    IpvsStats stats) {
  public IpvsDestination {
    Objects.requireNonNull(realServer, "realServer");
    Objects.requireNonNull(stats, "stats");
  }
}
