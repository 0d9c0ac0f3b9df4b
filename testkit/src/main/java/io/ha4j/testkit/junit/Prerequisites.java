package io.ha4j.testkit.junit;

import org.jspecify.annotations.Nullable;
import org.opentest4j.TestAbortedException;

/**
 * The skip policy for tests that need something a developer's machine may lack (root, network
 * namespaces, the ip_vs kernel VM): skipped with a message that says exactly why, except in CI
 * (environment variable {@code CI=true}), where a missing prerequisite is a failure, because a
 * skipped real-kernel test would hide a broken feature behind a green build.
 */
public final class Prerequisites {

  private Prerequisites() {}

  /** Whether this run is CI ({@code CI=true}), where prerequisites are mandatory. */
  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Aborts (skips) or fails the current test when {@code missing} is not null.
   *
   * @param kind what kind of test this is, e.g. "netns test"
   * @param missing why it cannot run here, or null when it can
   * @param howToRun what would make it run, e.g. "run as root"
   */
  public static void check(String kind, @Nullable String missing, String howToRun) {
    if (missing == null) {
      return;
    }
    String message = kind + " cannot run: " + missing + " (" + howToRun + ")";
    if (inCi()) {
      throw new IllegalStateException(message + "; CI=true, so this is a failure, not a skip");
    }
    throw new TestAbortedException(message);
  }
}
