package io.ha4j.testkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatStats;
import io.ha4j.heartbeat.VrrpElection;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The fault model's duplicate node id and flood (issue 16 items 5 and 7), and what catches them. */
class DuplicateIdAndFloodTest {

  @Test
  void theNewFaultsParseAndPrint() {
    Scenario s = Scenario.parse("nodes=2 prio=100,100 adv=100ms ; @1s duplicate-id n2=n1 ; @2s flood n1 500 300ms"
        + " ; end @5s");
    assertEquals(new Fault.DuplicateId("n2", "n1"), s.faults().get(0).fault());
    assertEquals(new Fault.Flood("n1", 500, java.time.Duration.ofMillis(300)), s.faults().get(1).fault());
    assertEquals(s, Scenario.parse(s.text()));
  }

  @Test
  void twinsWithOneNodeIdEndWithOneMaster() {
    // Equal priorities (the incarnation breaks the tie) and unequal ones; S1 and L3 check for one master.
    for (String prio : new String[] {"100,100", "100,200", "200,100"}) {
      ClusterHarness h = ClusterHarness.run(Scenario.parse("nodes=2 prio=" + prio
          + " preempt=true adv=100ms ; @2s duplicate-id n2=n1 ; end @6s"), 16);
      h.assertInvariants();
      assertEquals(1, h.masters().size(), prio + ": " + h.masters());
    }
  }

  @Test
  void aFloodAtTheMasterIsNoDisturbanceAndCausesNoFailover() {
    ClusterHarness h = ClusterHarness.run(Scenario.parse(
        "nodes=3 prio=200,100,50 preempt=true adv=100ms ; @2s flood n1 20000 2s ; end @6s"), 5);
    h.assertInvariants(); // L2: a role change in the flood's stable period would be a false fail-over
    assertEquals(java.util.List.of("n1"), h.masters());
    HeartbeatStats s = Objects.requireNonNull(h.election("n1")).stats();
    assertTrue(s.droppedTotal() >= 20_000, "the flood arrived and was dropped: " + s);
    VrrpElection backup = Objects.requireNonNull(h.election("n2"));
    assertEquals(0, backup.stats().dropped(DropReason.MALFORMED), "the flood was at n1 only");
  }
}
