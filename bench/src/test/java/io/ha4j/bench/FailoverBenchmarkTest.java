package io.ha4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.bench.FailoverBenchmark.Impl;
import io.ha4j.bench.FailoverBenchmark.Measurement;
import io.ha4j.bench.FailoverBenchmark.Options;
import io.ha4j.bench.FailoverBenchmark.Phase;
import io.ha4j.bench.FailoverBenchmark.PlannedRun;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FailoverBenchmarkTest {

  private static final List<Impl> BOTH = List.of(Impl.HA4J, Impl.KEEPALIVED);

  @Test
  void lockedPlanGivesEachImplementationEveryStratumOnce() {
    int runs = 10;
    List<PlannedRun> plan = FailoverBenchmark.plan(runs, BOTH, Phase.LOCKED, 42);
    assertEquals(runs * 2, plan.size());
    for (Impl impl : BOTH) {
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
    List<PlannedRun> plan = FailoverBenchmark.plan(7, BOTH, Phase.LOCKED, 42);
    for (int i = 0; i < plan.size(); i += 2) {
      PlannedRun ours = plan.get(i);
      PlannedRun theirs = plan.get(i + 1);
      assertEquals(Impl.HA4J, ours.impl());
      assertEquals(Impl.KEEPALIVED, theirs.impl());
      assertEquals(i / 2, ours.run());
      assertEquals(ours.run(), theirs.run());
      assertEquals(ours.fraction(), theirs.fraction(), "run " + ours.run() + " must have one phase for both");
    }
  }

  @Test
  void planIsDeterministicForASeedAndShuffled() {
    List<PlannedRun> a = FailoverBenchmark.plan(10, BOTH, Phase.LOCKED, 42);
    assertEquals(a, FailoverBenchmark.plan(10, BOTH, Phase.LOCKED, 42));
    assertNotEquals(fractions(a), fractions(FailoverBenchmark.plan(10, BOTH, Phase.LOCKED, 43)));
    List<Double> sortedOrder = new ArrayList<>(fractions(a));
    sortedOrder.sort(null);
    assertNotEquals(sortedOrder, fractions(a), "seed 42 left the strata in order: not shuffled");
  }

  @Test
  void randomPlanDrawsPerRunAndImplementation() {
    List<PlannedRun> plan = FailoverBenchmark.plan(10, BOTH, Phase.RANDOM, 42);
    assertEquals(plan, FailoverBenchmark.plan(10, BOTH, Phase.RANDOM, 42));
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
    Options o = FailoverBenchmark.parse(new String[] {"t", "w"});
    assertEquals(Phase.LOCKED, o.phase());
    assertEquals(42, o.seed());
  }

  @Test
  void phaseAndSeedOptionsParse() {
    Options o = FailoverBenchmark.parse(new String[] {"t", "w", "--phase", "random", "--seed", "-7", "--runs", "3"});
    assertEquals(Phase.RANDOM, o.phase());
    assertEquals(-7, o.seed());
    assertEquals(3, o.runs());
    assertEquals(Phase.LOCKED, FailoverBenchmark.parse(new String[] {"t", "w", "--phase", "locked"}).phase());
  }

  @Test
  void steadyTimeBeforeTheKillIsAnOptionOfAtLeastASecond() {
    assertEquals(FailoverBenchmark.DEFAULT_STEADY_SECONDS, FailoverBenchmark.parse(new String[] {"t", "w"}).steadySeconds());
    assertEquals(10, FailoverBenchmark.parse(new String[] {"t", "w", "--steady", "10"}).steadySeconds());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> FailoverBenchmark.parse(new String[] {"t", "w", "--steady", "0"}));
    assertTrue(zero.getMessage().contains("--steady"), zero.getMessage());
  }

  @Test
  void badPhaseOrSeedIsRejectedByName() {
    IllegalArgumentException phase = assertThrows(IllegalArgumentException.class,
        () -> FailoverBenchmark.parse(new String[] {"t", "w", "--phase", "sometimes"}));
    assertTrue(phase.getMessage().contains("--phase") && phase.getMessage().contains("sometimes"), phase.getMessage());
    IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
        () -> FailoverBenchmark.parse(new String[] {"t", "w", "--seed", "4x"}));
    assertTrue(seed.getMessage().contains("--seed") && seed.getMessage().contains("4x"), seed.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FailoverBenchmark.parse(new String[] {"t", "w", "--seed"}));
  }

  @Test
  void masterDownIntervalFollowsRfc5798Section6_1() {
    // 3 x 100 ms + (256 - 100) x 100 ms / 256 = 300 + 60.9375
    assertEquals(360.9375, FailoverBenchmark.masterDownIntervalMs(new BigDecimal("0.1"), 100), 1e-9);
    assertEquals(3000 + 1000.0 * 106 / 256, FailoverBenchmark.masterDownIntervalMs(BigDecimal.ONE, 150), 1e-9);
  }

  @Test
  void pairedDifferencesOnlyOverRunsWhereBothSucceeded() {
    BigDecimal i = new BigDecimal("0.1");
    List<Measurement> results = List.of(
        new Measurement(i, 0, Impl.HA4J, 300, 60),
        new Measurement(i, 0, Impl.KEEPALIVED, 302, 60),
        new Measurement(i, 1, Impl.HA4J, 250, 111), // keepalived's run 1 failed
        new Measurement(i, 2, Impl.KEEPALIVED, 280, 80), // ha4j's run 2 failed
        new Measurement(i, 3, Impl.HA4J, 340, Double.NaN),
        new Measurement(i, 3, Impl.KEEPALIVED, 339, 20),
        new Measurement(new BigDecimal("0.02"), 0, Impl.KEEPALIVED, 1000, 1)); // another interval's run 0
    double[][] d = FailoverBenchmark.pairedDifferences(results, i);
    assertEquals(List.of(-2.0, 1.0), boxed(d[0]));
    assertEquals(List.of(-2.0), boxed(d[1]), "a run without a sniffed phase has no from-last-adv difference");
  }

  private static List<Double> fractions(List<PlannedRun> plan) {
    Map<Impl, List<Double>> byImpl = plan.stream().collect(Collectors.groupingBy(PlannedRun::impl,
        Collectors.mapping(PlannedRun::fraction, Collectors.toList())));
    return byImpl.get(Impl.HA4J);
  }

  private static List<Double> boxed(double[] v) {
    List<Double> out = new ArrayList<>();
    for (double x : v) {
      out.add(x);
    }
    return out;
  }
}
