package io.ha4j.core.health;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.core.health.internal.Probes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Up when a command exits with status 0 (keepalived's {@code MISC_CHECK}, ldirectord's {@code
 * external}). On timeout the command and every process it started are killed (SIGKILL), so a hung
 * script leaves nothing behind. Output is discarded.
 *
 * @param command program and arguments, not empty; run directly, not through a shell
 */
public record CommandCheck(List<String> command) implements HealthCheck {

  public CommandCheck {
    Objects.requireNonNull(command, "command");
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty, was " + command);
    }
  }

  /** A check running {@code program} with {@code args}. */
  public static CommandCheck of(String program, String... args) {
    var all = new java.util.ArrayList<String>();
    all.add(program);
    all.addAll(List.of(args));
    return new CommandCheck(all);
  }

  @Override
  public CompletionStage<CheckResult> run(CheckContext context) {
    return Probes.of(context).command(command);
  }
}
