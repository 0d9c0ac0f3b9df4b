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
 * @param quorumCommands {@code quorum_up} / {@code quorum_down}
 */
public record VirtualServerConfig(DesiredService service, List<RealServerCheck> checks, boolean alpha,
    QuorumCommands quorumCommands) {

  /** No quorum commands. */
  public VirtualServerConfig(DesiredService service, List<RealServerCheck> checks, boolean alpha) {
    this(service, checks, alpha, QuorumCommands.NONE);
  }

  public VirtualServerConfig {
    Objects.requireNonNull(service, "service");
    checks = List.copyOf(checks);
    Objects.requireNonNull(quorumCommands, "quorumCommands");
  }

  /**
   * The commands run when the service gains ({@code up}) or loses ({@code down}) quorum, as argv
   * without a shell; empty for none.
   */
  public record QuorumCommands(List<String> up, List<String> down) {
    public static final QuorumCommands NONE = new QuorumCommands(List.of(), List.of());

    public QuorumCommands {
      up = List.copyOf(up);
      down = List.copyOf(down);
    }
  }
}
