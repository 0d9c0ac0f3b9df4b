package io.ha4j.testkit.netns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the short external commands of network tests (iproute2, ipvsadm, nsenter) with a time limit,
 * optionally feeding their standard input (one {@code ipvsadm -R} loads a whole table).
 */
public final class Commands {

  /** Generous: under TCG emulation one ipvsadm takes 0.2-2 s, and the host may be busy. */
  public static final long DEFAULT_TIMEOUT_SECONDS = 60;

  private Commands() {}

  /** Runs {@code argv} with no input, within {@link #DEFAULT_TIMEOUT_SECONDS}. */
  public static ExecResult run(String... argv) {
    return run(DEFAULT_TIMEOUT_SECONDS, "", List.of(argv));
  }

  /** Runs the command and throws, quoting its stderr, when it does not exit 0. */
  public static ExecResult ok(String... argv) {
    return run(argv).orThrow();
  }

  /** Runs {@code argv} with {@code stdin} as its whole input. */
  public static ExecResult runWithInput(String stdin, String... argv) {
    return run(DEFAULT_TIMEOUT_SECONDS, stdin, List.of(argv));
  }

  /** Runs {@code command} with {@code stdin} as its whole input; throws if it outlives the limit. */
  public static ExecResult run(long timeoutSeconds, String stdin, List<String> command) {
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      // Drain both pipes concurrently so a chatty command cannot block on a full pipe.
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IllegalStateException(
            "command " + String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
      return new ExecResult(command, p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      p.destroyForcibly();
      throw new UncheckedIOException("cannot feed " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
