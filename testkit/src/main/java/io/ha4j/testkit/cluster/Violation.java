package io.ha4j.testkit.cluster;

import java.util.Objects;

/**
 * An {@link Invariant} did not hold.
 *
 * @param invariant which one
 * @param atNanos when it was noticed, on the history's timeline
 * @param message what was seen, in the field's words
 */
public record Violation(Invariant invariant, long atNanos, String message) {
  public Violation {
    Objects.requireNonNull(invariant, "invariant");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return invariant + " at " + History.time(atNanos) + ": " + message;
  }
}
