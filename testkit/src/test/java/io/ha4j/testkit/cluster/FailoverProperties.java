package io.ha4j.testkit.cluster;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/** The invariants of {@link Invariant} over generated clusters and fault schedules. */
class FailoverProperties {

  private static final AtomicLong SCHEDULES = new AtomicLong();

  @Property(tries = 2000)
  void everyScheduleKeepsTheInvariants(@ForAll("scenarios") Scenario scenario, @ForAll long seed) {
    SCHEDULES.incrementAndGet();
    ClusterHarness h = ClusterHarness.run(scenario, seed);
    List<Violation> v = h.check();
    if (!v.isEmpty()) {
      throw new AssertionError(v + "\nreplay: ClusterHarness.replay(" + seed + "L, \"" + scenario.text() + "\")\n"
          + h.history().render());
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return ClusterArbitraries.scenarios();
  }

  @AfterContainer
  static void report() {
    System.out.println("[cluster] simulated fault schedules: " + SCHEDULES.get());
  }
}
