package io.ha4j.testkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BoundsTest {

  /**
   * H1 as seen in a run of the properties (seed 419875918): n2's check round, armed at rate 1 before
   * its clock slowed to 0.9 at 2 s, fired 4.9 ms ahead of its plan on n2's clock; its probe was
   * answered just before rs1 failed, and the next round came one interval after the plan, not
   * after the failure: detection 1.2 ms over a bound without {@link Bounds#earlyRoundNanos}.
   */
  @Test
  void aRoundArmedBeforeTheClockSlowsCountsAgainstDetection() {
    ClusterHarness.replay(419875918L, "nodes=3 prio=1,1,1 preempt=true adv=1s delay=100us jitter=0ms dup=0.0"
        + " reorder=0.0 stall-threshold=0.25 rs=2 check=1s timeout=500ms rise=1 fall=1 on-failure=remove"
        + " ; @2000ms drift n2 0.9 ; @2050ms rs-down rs1 ; @5s rs-up rs1 ; end @8s");
  }

  @Test
  void aRoundRunsAheadByWhatTheClockCanSlowDownFromTheFastestRate() {
    long second = 1_000_000_000L;
    assertEquals(0, new Bounds(second, 0, 0, 1.0, 1.0, 0.25).earlyRoundNanos(second), "no drift");
    assertEquals(second / 10, new Bounds(second, 0, 0, 1 / 0.9, 1.0, 0.25).earlyRoundNanos(second), 1.0, "1 to 0.9");
    assertEquals(second * 2 / 11, new Bounds(second, 0, 0, 1 / 0.9, 1.1, 0.25).earlyRoundNanos(second), 1.0, "1.1 to 0.9");
  }
}
