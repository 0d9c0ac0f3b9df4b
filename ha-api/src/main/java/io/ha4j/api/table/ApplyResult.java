package io.ha4j.api.table;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link LoadBalancerTable#apply}: which ops failed and why. Ops not listed in
 * {@link #failures()} succeeded.
 */
public record ApplyResult(int attempted, List<Failure> failures) {

  /** One op that failed, with its index in the submitted list. */
  public record Failure(int index, TableOp op, TableException error) {
    public Failure {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(error, "error");
    }
  }

  public ApplyResult {
    failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
  }

  /** Every op succeeded. */
  public boolean ok() {
    return failures.isEmpty();
  }

  /** Throws the first failure's error with the others suppressed, if there were any. */
  public ApplyResult orThrow() {
    if (!failures.isEmpty()) {
      TableException first = failures.get(0).error();
      for (int i = 1; i < failures.size(); i++) {
        first.addSuppressed(failures.get(i).error());
      }
      throw first;
    }
    return this;
  }
}
