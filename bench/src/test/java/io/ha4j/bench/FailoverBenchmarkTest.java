package io.ha4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FailoverBenchmarkTest {

  private static final List<Implementation> BOTH = List.of(Implementation.HA4J, Implementation.KEEPALIVED);

  @Test
  void lockedPlanGivesEachImplementationEveryStratumOnce() {
    int runs = 10;
    List<PlannedRun> plan = PlannedRun.plan(runs, BOTH, KillPhase.LOCKED, 42);
    assertEquals(runs * 2, plan.size());
    for (Implementation impl : BOTH) {
      List<Double> fractions = plan.stream().filter(p -> p.impl() == impl).map(PlannedRun::fraction).toList();
      TreeSet<Double> strata = new TreeSet<>();
      for (double f : fractions) {
        // Stratum k of N is [k/N, (k+1)/N); its midpoint (k + 0.5)/N is the fraction.
        int k = (int) Math.floor(f * runs);
        assertEquals((k + 0.5) / runs, f, 1e-12, "not a stratum midpoint: " + f);
        strata.add(f);
      }
      assertEquals(runs, strata.size(), impl + " has a stratum twice: " + fractions);
    }
  }

  @Test
  void lockedPlanPairsRunRAcrossImplementationsAndAlternatesThem() {
    List<PlannedRun> plan = PlannedRun.plan(7, BOTH, KillPhase.LOCKED, 42);
    for (int i = 0; i < plan.size(); i += 2) {
      PlannedRun ours = plan.get(i);
      PlannedRun theirs = plan.get(i + 1);
      assertEquals(Implementation.HA4J, ours.impl());
      assertEquals(Implementation.KEEPALIVED, theirs.impl());
      assertEquals(i / 2, ours.run());
      assertEquals(ours.run(), theirs.run());
      assertEquals(ours.fraction(), theirs.fraction(), "run " + ours.run() + " must have one phase for both");
    }
  }

  @Test
  void planIsDeterministicForASeedAndShuffled() {
    List<PlannedRun> a = PlannedRun.plan(10, BOTH, KillPhase.LOCKED, 42);
    assertEquals(a, PlannedRun.plan(10, BOTH, KillPhase.LOCKED, 42));
    assertNotEquals(fractions(a), fractions(PlannedRun.plan(10, BOTH, KillPhase.LOCKED, 43)));
    List<Double> sortedOrder = new ArrayList<>(fractions(a));
    sortedOrder.sort(null);
    assertNotEquals(sortedOrder, fractions(a), "seed 42 left the strata in order: not shuffled");
  }

  @Test
  void randomPlanDrawsPerRunAndImplementation() {
    List<PlannedRun> plan = PlannedRun.plan(10, BOTH, KillPhase.RANDOM, 42);
    assertEquals(plan, PlannedRun.plan(10, BOTH, KillPhase.RANDOM, 42));
    long unpaired = 0;
    for (int i = 0; i < plan.size(); i += 2) {
      if (plan.get(i).fraction() != plan.get(i + 1).fraction()) {
        unpaired++;
      }
    }
    assertEquals(10, unpaired, "random phases must be independent per implementation");
    assertEquals(20, plan.stream().map(PlannedRun::fraction).distinct().count());
  }

  @Test
  void phaseAndSeedDefaultToLocked42() {
    FailoverOptions o = FailoverOptions.parse(new String[] {"t", "w"});
    assertEquals(KillPhase.LOCKED, o.phase());
    assertEquals(42, o.seed());
  }

  @Test
  void phaseAndSeedOptionsParse() {
    FailoverOptions o = FailoverOptions.parse(new String[] {"t", "w", "--phase", "random", "--seed", "-7", "--runs", "3"});
    assertEquals(KillPhase.RANDOM, o.phase());
    assertEquals(-7, o.seed());
    assertEquals(3, o.runs());
    assertEquals(KillPhase.LOCKED, FailoverOptions.parse(new String[] {"t", "w", "--phase", "locked"}).phase());
  }

  @Test
  void steadyTimeBeforeTheKillIsAnOptionOfAtLeastASecond() {
    assertEquals(FailoverOptions.DEFAULT_STEADY_SECONDS, FailoverOptions.parse(new String[] {"t", "w"}).steadySeconds());
    assertEquals(10, FailoverOptions.parse(new String[] {"t", "w", "--steady", "10"}).steadySeconds());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> FailoverOptions.parse(new String[] {"t", "w", "--steady", "0"}));
    assertTrue(zero.getMessage().contains("--steady"), zero.getMessage());
  }

  @Test
  void deathKindsAndTheResetRunParse() {
    FailoverOptions o = FailoverOptions.parse(new String[] {"t", "w"});
    assertEquals(java.util.List.of(Death.PROCESS), o.deaths());
    assertEquals(0, o.resetSeconds());
    o = FailoverOptions.parse(new String[] {"t", "w", "--death", "process,host", "--reset-run", "600"});
    assertEquals(java.util.List.of(Death.PROCESS, Death.HOST), o.deaths());
    assertEquals(600, o.resetSeconds());
    assertEquals(java.util.List.of(Death.HOST), FailoverOptions.parse(new String[] {"t", "w", "--death", "host"}).deaths());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FailoverOptions.parse(new String[] {"t", "w", "--death", "power"}));
    assertTrue(e.getMessage().contains("--death"), e.getMessage());
  }

  @Test
  void badPhaseOrSeedIsRejectedByName() {
    IllegalArgumentException phase = assertThrows(IllegalArgumentException.class,
        () -> FailoverOptions.parse(new String[] {"t", "w", "--phase", "sometimes"}));
    assertTrue(phase.getMessage().contains("--phase") && phase.getMessage().contains("sometimes"), phase.getMessage());
    IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
        () -> FailoverOptions.parse(new String[] {"t", "w", "--seed", "4x"}));
    assertTrue(seed.getMessage().contains("--seed") && seed.getMessage().contains("4x"), seed.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FailoverOptions.parse(new String[] {"t", "w", "--seed"}));
  }

  @Test
  void masterDownIntervalFollowsRfc5798Section6_1() {
    // 3 x 100 ms + (256 - 100) x 100 ms / 256 = 300 + 60.9375
    assertEquals(360.9375, Measurement.masterDownIntervalMs(new BigDecimal("0.1"), 100), 1e-9);
    assertEquals(3000 + 1000.0 * 106 / 256, Measurement.masterDownIntervalMs(BigDecimal.ONE, 150), 1e-9);
  }

  @Test
  void pairedDifferencesOnlyOverRunsWhereBothSucceeded() {
    BigDecimal i = new BigDecimal("0.1");
    List<Measurement> results = List.of(
        new Measurement(i, 0, Implementation.HA4J, 300, 60),
        new Measurement(i, 0, Implementation.KEEPALIVED, 302, 60),
        new Measurement(i, 1, Implementation.HA4J, 250, 111), // keepalived's run 1 failed
        new Measurement(i, 2, Implementation.KEEPALIVED, 280, 80), // ha4j's run 2 failed
        new Measurement(i, 3, Implementation.HA4J, 340, Double.NaN),
        new Measurement(i, 3, Implementation.KEEPALIVED, 339, 20),
        new Measurement(new BigDecimal("0.02"), 0, Implementation.KEEPALIVED, 1000, 1)); // another interval's run 0
    double[][] d = FailoverReport.pairedDifferences(results, i);
    assertEquals(List.of(-2.0, 1.0), boxed(d[0]));
    assertEquals(List.of(-2.0), boxed(d[1]), "a run without a sniffed phase has no from-last-adv difference");
  }

  private static List<Double> fractions(List<PlannedRun> plan) {
    Map<Implementation, List<Double>> byImpl = plan.stream().collect(Collectors.groupingBy(PlannedRun::impl,
        Collectors.mapping(PlannedRun::fraction, Collectors.toList())));
    return byImpl.get(Implementation.HA4J);
  }

  private static List<Double> boxed(double[] v) {
    List<Double> out = new ArrayList<>();
    for (double x : v) {
      out.add(x);
    }
    return out;
  }
}
