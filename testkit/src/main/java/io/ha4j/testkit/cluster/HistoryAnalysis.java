package io.ha4j.testkit.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks every {@link Invariant} over a {@link History}: the stable periods with their fail-overs,
 * split brains and real servers' removal, each check replaying the history on its own.
 */
final class HistoryAnalysis {

  private final History history;

  HistoryAnalysis(History history) {
    this.history = history;
  }

  /** The violations, ordered by invariant, then by time. */
  List<Violation> run() {
    Bounds bounds = Bounds.of(history);
    List<Violation> violations = new ArrayList<>();
    violations.addAll(new StablePeriodCheck(history, bounds, Disturbances.of(history, bounds)).check());
    SplitBrainCheck.check(history, bounds, violations);
    VipHeldCheck.check(history, bounds, violations);
    RealServerRemovalCheck.check(history, bounds, violations);
    violations.sort((a, b) -> a.invariant() != b.invariant()
        ? a.invariant().compareTo(b.invariant()) : Long.compare(a.atNanos(), b.atNanos()));
    return List.copyOf(violations);
  }
}
