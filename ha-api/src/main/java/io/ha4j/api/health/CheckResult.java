package io.ha4j.api.health;

import java.util.Objects;

/**
 * The outcome of one check attempt.
 *
 * @param up whether the target answered as expected
 * @param detail what was seen, for operators and state-change events (e.g. "connected",
 *     "status 503 not in 200..299", "timed out after PT5S")
 */
public record CheckResult(boolean up, String detail) {

  public CheckResult {
    Objects.requireNonNull(detail, "detail");
  }

  /** A successful attempt. */
  public static CheckResult up(String detail) {
    return new CheckResult(true, detail);
  }

  /** A failed attempt. */
  public static CheckResult down(String detail) {
    return new CheckResult(false, detail);
  }
}
