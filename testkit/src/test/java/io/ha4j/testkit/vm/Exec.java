package io.ha4j.testkit.vm;

import io.ha4j.testkit.netns.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external commands of kernel tests (ip, ipvsadm). Unlike the netns rig's runner it can
 * feed the command's standard input, so one {@code ipvsadm -R} loads a whole table.
 */
public final class Exec {

  /** Generous: under TCG emulation one ipvsadm takes 0.2-2 s, and the host may be busy. */
  private static final long TIMEOUT_SECONDS = 60;

  private Exec() {}

  public static ExecResult run(String... argv) {
    return runWithInput("", argv);
  }

  /** Runs the command and fails the test, quoting its stderr, when it does not exit 0. */
  public static ExecResult ok(String... argv) {
    return runWithInput("", argv).orThrow();
  }

  /** Runs the command with {@code stdin} as its whole input. */
  public static ExecResult runWithInput(String stdin, String... argv) {
    List<String> command = List.of(argv);
    Process p;
    try {
      p = new ProcessBuilder(command).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " still running after " + TIMEOUT_SECONDS + " s");
      }
      return new ExecResult(command, p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + command, e);
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
