package io.ha4j.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 7: two members configured with the same node id (keepalived's sample router_id
 * copied to both) used to drop each other's advertisements as their own and both stay master.
 * Each now knows the other by its incarnation, counts it, and the pair converges to one master.
 */
class DuplicateNodeIdTest {

  @Test
  void twoMembersWithOneIdEndWithOneMasterAndCountTheDuplicate() {
    for (int[] priorities : new int[][] {{100, 100}, {100, 150}, {150, 100}}) {
      SimulatedLan lan = new SimulatedLan();
      SimulatedLan.Member a = lan.add("a", b -> b.nodeId("LVS_DEVEL").priority(priorities[0]).incarnations(() -> 11));
      SimulatedLan.Member b = lan.add("b", c -> c.nodeId("LVS_DEVEL").priority(priorities[1]).incarnations(() -> 22));
      lan.startAll();
      lan.advance(Duration.ofSeconds(20));
      assertEquals(1, lan.masters().size(), "masters " + lan.masters() + " for priorities " + priorities[0]
          + "/" + priorities[1]);
      String expected = priorities[0] > priorities[1] ? "a" : "b"; // a tie goes to the higher incarnation
      assertEquals(expected, lan.masters().get(0));
      SimulatedLan.Member master = lan.get(expected);
      SimulatedLan.Member backup = master == a ? b : a;
      assertTrue(backup.election.stats().duplicateNodeIds() > 0, "the backup heard the master under its own id");
      assertTrue(master.election.stats().dropped(DropReason.OWN_NODE_ID) > 0,
          "the master's own looped-back adverts are still its own");
    }
  }
}
