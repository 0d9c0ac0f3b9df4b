package io.ha4j.testkit.cluster;

/**
 * How many fault schedules the simulation properties run: {@code ha4j.sim.schedules}, 10,000 by
 * default (the CI budget); {@code -Dha4j.sim.schedules=1000000} for a long run.
 *
 * <p>jqwik fixes a property's tries when it discovers it, so the properties declare tries that add
 * up to {@link #BASE}, and a larger budget runs each generated schedule with {@link #repeats()}
 * network seeds. Shrinking still works: a schedule fails if it fails for any of its seeds.
 */
final class SimulationBudget {

  /** The schedules the properties' tries add up to. */
  static final int BASE = 10_000;

  /** The total number of fault schedules asked for. */
  static final int SCHEDULES = Integer.getInteger("ha4j.sim.schedules", BASE);

  private SimulationBudget() {}

  /** Network seeds per generated schedule. */
  static int repeats() {
    return Math.max(1, (SCHEDULES + BASE - 1) / BASE);
  }
}
