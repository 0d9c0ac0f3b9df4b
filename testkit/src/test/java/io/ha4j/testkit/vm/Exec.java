package io.ha4j.testkit.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One finished external command of a kernel test (ip, ipvsadm), with what it printed. */
record Exec(List<String> argv, int exitCode, String stdout, String stderr) {

  /** Generous: under TCG emulation one ipvsadm takes 0.1-0.5 s, and the host may be busy. */
  private static final long TIMEOUT_SECONDS = 60;

  static Exec run(String... argv) {
    return runWithInput("", argv);
  }

  /** Runs the command with {@code stdin} as its whole input. */
  static Exec runWithInput(String stdin, String... argv) {
    Process p;
    try {
      p = new ProcessBuilder(argv).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + List.of(argv), e);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(List.of(argv) + " still running after " + TIMEOUT_SECONDS + " s");
      }
      return new Exec(List.of(argv), p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + List.of(argv), e);
    }
  }

  /** Runs the command and fails the test, quoting its stderr, when it does not exit 0. */
  static Exec ok(String... argv) {
    return okWithInput("", argv);
  }

  /** Runs the command with {@code stdin} as input; fails the test unless it exits 0. */
  static Exec okWithInput(String stdin, String... argv) {
    Exec e = runWithInput(stdin, argv);
    if (e.exitCode != 0) {
      throw new AssertionError(e.argv + " exited " + e.exitCode + ": " + e.stderr.strip());
    }
    return e;
  }

  private static String drain(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
