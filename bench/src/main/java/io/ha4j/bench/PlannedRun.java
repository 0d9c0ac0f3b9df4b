package io.ha4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Run {@code run} (0-based) of {@code impl}, killed at {@code fraction} of an interval after an
 * advertisement's arrival ({@link KillPhase#LOCKED}) or after settling ({@link KillPhase#RANDOM}).
 */
record PlannedRun(int run, Implementation impl, double fraction) {

  PlannedRun {
    if (run < 0) {
      throw new IllegalArgumentException("run must be >= 0, was " + run);
    }
    Objects.requireNonNull(impl, "impl");
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1), was " + fraction);
    }
  }

  /**
   * The runs of one interval in the order they are measured: run by run, the implementations
   * alternating within a run (which spreads the machine's load over both). {@link KillPhase#LOCKED}:
   * the fractions (r + 0.5) / runs, each once, shuffled with {@code seed}; run r of every
   * implementation gets the same one. {@link KillPhase#RANDOM}: a fraction drawn per run and
   * implementation. The same seed gives the same plan for every interval.
   */
  static List<PlannedRun> plan(int runs, List<Implementation> impls, KillPhase phase, long seed) {
    Random random = new Random(seed);
    List<Double> strata = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      strata.add((r + 0.5) / runs);
    }
    Collections.shuffle(strata, random);
    List<PlannedRun> out = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      for (Implementation impl : impls) {
        out.add(new PlannedRun(r, impl, phase == KillPhase.LOCKED ? strata.get(r) : random.nextDouble()));
      }
    }
    return out;
  }
}
