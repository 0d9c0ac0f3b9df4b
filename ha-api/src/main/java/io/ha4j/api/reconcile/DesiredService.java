package io.ha4j.api.reconcile;

import io.ha4j.api.RealServer;
import io.ha4j.api.VirtualService;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A virtual service as the application wants it, before health is applied.
 *
 * @param service the service's key, scheduler, flags and persistence, as they should be in the
 *     table
 * @param realServers the real servers with their configured weights; endpoints are unique
 * @param sorryServer keepalived's {@code sorry_server} / ldirectord's {@code fallback}: in the
 *     table only while the service has no quorum (by default: while no real server is up), or null
 *     for none. It is not health-checked, as in keepalived and ldirectord.
 * @param failureMode what a down real server becomes in the table
 * @param quorum the live weight the service needs; {@link Quorum#DEFAULT} unless configured
 */
public record DesiredService(
    VirtualService service,
    List<RealServer> realServers,
    @Nullable RealServer sorryServer,
    FailureMode failureMode,
    Quorum quorum) {

  public DesiredService {
    Objects.requireNonNull(service, "service");
    realServers = List.copyOf(Objects.requireNonNull(realServers, "realServers"));
    Objects.requireNonNull(failureMode, "failureMode");
    Objects.requireNonNull(quorum, "quorum");
    Set<RealServer.Endpoint> seen = new HashSet<>();
    for (RealServer rs : realServers) {
      if (!seen.add(rs.endpoint())) {
        throw new IllegalArgumentException(
            "realServers has endpoint " + rs.endpoint() + " twice in service " + service.key());
      }
    }
    if (sorryServer != null && seen.contains(sorryServer.endpoint())) {
      throw new IllegalArgumentException(
          "sorryServer " + sorryServer.endpoint() + " is also a real server of " + service.key());
    }
  }

  /**
   * A service with real servers that are removed while down (keepalived's default), no sorry
   * server and the default quorum.
   */
  public static DesiredService of(VirtualService service, List<RealServer> realServers) {
    return new DesiredService(service, realServers, null, FailureMode.REMOVE, Quorum.DEFAULT);
  }

  public DesiredService withSorryServer(@Nullable RealServer sorry) {
    return new DesiredService(service, realServers, sorry, failureMode, quorum);
  }

  public DesiredService withFailureMode(FailureMode mode) {
    return new DesiredService(service, realServers, sorryServer, mode, quorum);
  }

  public DesiredService withQuorum(Quorum q) {
    return new DesiredService(service, realServers, sorryServer, failureMode, q);
  }
}
