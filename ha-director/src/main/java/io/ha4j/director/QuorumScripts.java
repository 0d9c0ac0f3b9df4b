package io.ha4j.director;

import io.ha4j.api.ServiceKey;
import io.ha4j.core.reconcile.QuorumChange;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Runs a virtual server's {@code quorum_up} / {@code quorum_down} command when it gains or loses
 * quorum, as keepalived does: the command's words as argv, without a shell, its output discarded;
 * the exit status is logged when it ends. A command that cannot start is logged, and changes
 * nothing else.
 */
final class QuorumScripts {

  private final Map<ServiceKey, VirtualServerConfig.QuorumCommands> commands = new HashMap<>();
  private final Logger log;

  QuorumScripts(List<VirtualServerConfig> servers, Logger log) {
    for (VirtualServerConfig vs : servers) {
      if (!vs.quorumCommands().up().isEmpty() || !vs.quorumCommands().down().isEmpty()) {
        commands.put(vs.service().service().key(), vs.quorumCommands());
      }
    }
    this.log = log;
  }

  /** Starts the command of {@code change}, if its service has one; returns the process, or null. */
  @org.jspecify.annotations.Nullable Process changed(QuorumChange change) {
    VirtualServerConfig.QuorumCommands c = commands.get(change.service());
    List<String> argv = c == null ? List.of() : change.up() ? c.up() : c.down();
    if (argv.isEmpty()) {
      return null;
    }
    String which = change.up() ? "quorum_up" : "quorum_down";
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      p.onExit().thenAccept(done -> log.info("{} of {} ({}) exited with status {}", which, change.service(), argv.get(0),
          done.exitValue()));
      return p;
    } catch (IOException | RuntimeException e) {
      log.warn("{} of {}: cannot run {}: {}", which, change.service(), argv, e.toString());
      return null;
    }
  }
}
