package io.ha4j.testkit.netns;

import java.util.List;
import java.util.Objects;

/** The outcome of a command run to completion. */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {
  public ExecResult {
    command = List.copyOf(Objects.requireNonNull(command, "command"));
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  /** Whether the command exited with 0. */
  public boolean ok() {
    return exitCode == 0;
  }

  /** Returns this result, or throws naming the command, exit code and stderr. */
  public ExecResult orThrow() {
    if (exitCode != 0) {
      throw new IllegalStateException(
          "command " + String.join(" ", command) + " exited with " + exitCode + ": " + stderr.strip());
    }
    return this;
  }
}
