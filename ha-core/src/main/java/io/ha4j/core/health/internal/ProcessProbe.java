package io.ha4j.core.health.internal;

import io.ha4j.api.health.CheckResult;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a command check's process; cancelling kills it and everything it started. */
final class ProcessProbe {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessProbe.class);

  private ProcessProbe() {}

  /** Starts {@code command} on {@code launcher} (fork can take milliseconds: not the scheduler's). */
  static CompletableFuture<CheckResult> run(List<String> command, Executor launcher) {
    var result = new CompletableFuture<CheckResult>();
    var process = new AtomicReference<Process>();
    result.whenComplete((r, e) -> {
      Process p = process.get();
      if (result.isCancelled() && p != null) {
        killTree(p);
      }
    });
    launcher.execute(() -> {
      if (result.isDone()) {
        return;
      }
      Process p;
      try {
        p = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        p.getOutputStream().close();
      } catch (IOException | RuntimeException e) {
        result.complete(CheckResult.down("cannot run " + command.get(0) + ": " + ChannelLoop.describe(e)));
        return;
      }
      process.set(p);
      // Either this sees the cancellation or the canceller sees the process (both are volatile).
      if (result.isCancelled()) {
        killTree(p);
        return;
      }
      p.onExit().thenAccept(done -> {
        int code = done.exitValue();
        result.complete(code == 0
            ? CheckResult.up(command.get(0) + " exited with 0")
            : CheckResult.down(command.get(0) + " exited with " + code));
      });
    });
    return result;
  }

  /**
   * Kills {@code p} and its descendants. The descendants are listed first: once the parent is dead
   * they are re-parented and no longer found.
   */
  static void killTree(Process p) {
    List<ProcessHandle> descendants = p.descendants().toList();
    p.destroyForcibly();
    for (ProcessHandle d : descendants) {
      d.destroyForcibly();
    }
    LOG.debug("killed timed-out check process {} and {} descendants", p.pid(), descendants.size());
  }
}
