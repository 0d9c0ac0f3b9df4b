package io.ha4j.director;

import java.util.List;

/**
 * A keepalived script line ({@code quorum_up /usr/local/sbin/quorum-up.sh}, or {@code quorum_up
 * "/path/notify.sh VS UP"}) as argv: the words of the one value, split at blanks, executed
 * without a shell (keepalived execs its scripts directly too); a command without a slash is
 * looked up on PATH, as keepalived does. keepalived's optional {@code
 * username [groupname]} after the command is refused: the director does not change user.
 */
final class CommandLine {

  private CommandLine() {}

  static List<String> argv(Directive d) throws ConfigException {
    ConfigToken command = d.value();
    if (d.statement().args().size() > 1) {
      throw d.error(d.arg(1), d.name() + ": running as another user (keepalived's username [groupname]) is not"
          + " supported by the ha4j director");
    }
    d.exactly(1);
    List<String> argv = List.of(command.text().strip().split("\\s+"));
    if (argv.get(0).isEmpty()) {
      throw d.error(command, d.name() + " needs a command");
    }
    return argv;
  }
}
