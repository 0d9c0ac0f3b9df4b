package io.ha4j.testkit.cluster;

import io.ha4j.testkit.cluster.ClusterArbitraries.Episode;
import io.ha4j.testkit.net.LinkConditions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Every {@link Invariant} over generated clusters and fault schedules, run on the real election
 * and member logic: 10,000 mixed schedules by default (and 1,000 of duplicate ids and floods), {@code -Dha4j.sim.schedules=1000000} for a long
 * run (see {@link SimulationBudget}). A failure prints the violations, a one-line replay and the
 * history.
 */
class FailoverProperties {

  private static final AtomicLong SCHEDULES = new AtomicLong();
  private static final AtomicLong VIRTUAL_NANOS = new AtomicLong();

  /** Any mix of faults, on any network the arbitraries make. */
  @Property(tries = 6000)
  void everyScheduleKeepsTheInvariants(@ForAll("anySchedule") Scenario scenario, @ForAll long seed) {
    check(scenario, seed);
  }

  /**
   * Losing the master on a LAN without jitter: take-over times and the one-master-only rule of L1
   * are exact here.
   */
  @Property(tries = 1500)
  void masterLossOnAQuietLan(@ForAll("masterLoss") Scenario scenario, @ForAll long seed) {
    check(scenario, seed);
  }

  /**
   * Killed processes and crashed hosts amid partitions, cuts, stalls and injected witness resets
   * (issue 17): W1 wants the witness's take-over after a kill, S1 and L2 no second master and no
   * false fail-over from it.
   */
  @Property(tries = 500)
  void deathsWitnessedOrTimedAmidPartitionsAndResets(@ForAll("deaths") Scenario scenario, @ForAll long seed) {
    check(scenario, seed);
  }

  @Provide
  Arbitrary<Scenario> deaths() {
    return ClusterArbitraries.scenarios(ClusterArbitraries.clusters(2, 5), 4, EnumSet.of(Episode.KILL_RESTART,
        Episode.CRASH_RESTART, Episode.WITNESS_RESET, Episode.PARTITION, Episode.CUT, Episode.STALL));
  }

  /** Stalls (GC pauses, VM steal) and clock drift, where false fail-overs come from. */
  @Property(tries = 1500)
  void stallsAndDriftCauseNoFalseFailover(@ForAll("stalls") Scenario scenario, @ForAll long seed) {
    check(scenario, seed);
  }

  /**
   * Hand-overs (priority 0) on a network that reorders and duplicates: a stale advertisement of the
   * old master arriving after its priority-0 one must not delay the take-over.
   */
  @Property(tries = 1000)
  void handOverOnAReorderingNetwork(@ForAll("reorderedHandOver") Scenario scenario, @ForAll long seed) {
    check(scenario, seed);
  }

  /**
   * Two members with one node id (issue 16 item 7), amid restarts, crashes, stalls and floods:
   * S1 and L3 want one master once it has settled.
   */
  @Property(tries = 500)
  void twinsWithOneNodeIdEndWithOneMaster(@ForAll("duplicateIds") Scenario scenario, @ForAll long seed) {
    check(scenario, seed);
  }

  /** Floods at any member (issue 16 item 5): not a disturbance, so L2 counts any role change as a false fail-over. */
  @Property(tries = 500)
  void floodsCauseNoFalseFailover(@ForAll("floods") Scenario scenario, @ForAll long seed) {
    check(scenario, seed);
  }

  @Provide
  Arbitrary<Scenario> duplicateIds() {
    return ClusterArbitraries.scenarios(ClusterArbitraries.clusters(2, 2), 4,
        EnumSet.of(Episode.DUPLICATE_ID, Episode.RESTART, Episode.CRASH_RESTART, Episode.STALL, Episode.FLOOD));
  }

  @Provide
  Arbitrary<Scenario> floods() {
    return ClusterArbitraries.scenarios(ClusterArbitraries.clusters(), 4, EnumSet.of(Episode.FLOOD));
  }

  @Provide
  Arbitrary<Scenario> reorderedHandOver() {
    return ClusterArbitraries.scenarios(ClusterArbitraries.clusters(2, 4).map(c -> c.withLink(new LinkConditions(0,
            Duration.ofMillis(1), c.advertisementInterval().dividedBy(4), 0.05, 0.5))), 4,
        EnumSet.of(Episode.STOP_RESTART, Episode.RESTART, Episode.INTERFACE));
  }

  @Provide
  Arbitrary<Scenario> anySchedule() {
    return ClusterArbitraries.scenarios();
  }

  @Provide
  Arbitrary<Scenario> masterLoss() {
    return ClusterArbitraries.scenarios(ClusterArbitraries.lanClusters(3, 5), 3,
        EnumSet.of(Episode.CRASH_RESTART, Episode.KILL_RESTART, Episode.STOP_RESTART, Episode.RESTART,
            Episode.INTERFACE, Episode.PRIORITY));
  }

  @Provide
  Arbitrary<Scenario> stalls() {
    return ClusterArbitraries.scenarios(ClusterArbitraries.clusters(), 4, EnumSet.of(Episode.STALL, Episode.DRIFT));
  }

  private static void check(Scenario scenario, long seed) {
    for (int r = 0; r < SimulationBudget.repeats(); r++) {
      check1(scenario, seed + r);
    }
  }

  private static void check1(Scenario scenario, long seed) {
    SCHEDULES.incrementAndGet();
    VIRTUAL_NANOS.addAndGet(scenario.horizon().toNanos());
    ClusterHarness h = ClusterHarness.run(scenario, seed);
    List<Violation> v = h.check();
    if (!v.isEmpty()) {
      StringBuilder b = new StringBuilder();
      v.forEach(x -> b.append(x).append('\n'));
      b.append("replay: ClusterHarness.replay(").append(seed).append("L, \"").append(scenario.text()).append("\")\n");
      b.append(h.history().render());
      throw new AssertionError(b.toString());
    }
  }

  @AfterContainer
  static void report() {
    System.out.printf("[cluster] simulated fault schedules: %d (budget %d), virtual time %d s, violations: none"
        + " unless reported above%n", SCHEDULES.get(), SimulationBudget.SCHEDULES, VIRTUAL_NANOS.get() / 1_000_000_000L);
  }
}
