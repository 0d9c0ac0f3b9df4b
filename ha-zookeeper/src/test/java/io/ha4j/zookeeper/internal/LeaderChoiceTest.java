package io.ha4j.zookeeper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.NodeId;
import io.ha4j.zookeeper.internal.LeaderChoice.Decision;
import io.ha4j.zookeeper.internal.LeaderChoice.Holder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderChoiceTest {

  private static Candidate c(int priority, boolean preempt, String id, long seq) {
    String name = Candidate.prefix(priority, preempt, NodeId.of(id)) + String.format("%010d", seq);
    return Candidate.parse(name).orElseThrow();
  }

  @Test
  void candidateNameRoundTripsAnIdWithSlashesAndUnderscores() {
    Candidate x = c(254, false, "rack/1_n2", 42);
    assertEquals(254, x.priority());
    assertEquals(NodeId.of("rack/1_n2"), x.nodeId());
    assertEquals(42, x.sequence());
    assertTrue(!x.preempt());
    assertTrue(Candidate.parse("_c_4a1b-lock-0000000001").isEmpty());
  }

  @Test
  void noLeaderTheHighestPriorityClaims() {
    Candidate low = c(100, true, "n1", 1);
    Candidate high = c(200, true, "n2", 2);
    assertEquals(Decision.CLAIM, LeaderChoice.decide(List.of(low, high), high.name(), Holder.NONE).decision());
    assertEquals(Decision.WAIT, LeaderChoice.decide(List.of(low, high), low.name(), Holder.NONE).decision());
  }

  @Test
  void equalPrioritiesGoToTheHigherNodeIdAsInVrrp() {
    // RFC 5798 6.4.3: a tie goes to the higher primary address; ha4j's NodeId plays that part.
    Candidate a = c(100, true, "a", 1);
    Candidate b = c(100, true, "b", 2);
    assertEquals(Decision.CLAIM, LeaderChoice.decide(List.of(a, b), b.name(), Holder.NONE).decision());
  }

  @Test
  void aLeaderStepsDownOnlyForAHigherNewcomerThatPreempts() {
    Candidate leader = c(100, true, "n1", 1);
    Candidate polite = c(200, false, "n2", 2);
    Candidate eager = c(200, true, "n3", 3);
    assertEquals(Decision.LEAD, LeaderChoice.decide(List.of(leader, polite), leader.name(), Holder.ME).decision());
    LeaderChoice.Choice out = LeaderChoice.decide(List.of(leader, polite, eager), leader.name(), Holder.ME);
    assertEquals(Decision.STEP_DOWN, out.decision());
    assertTrue(out.reason().contains("n3"), out.reason());
  }

  @Test
  void aLeaderThatIsNoLongerACandidateStepsDown() {
    Candidate other = c(100, true, "n2", 2);
    assertEquals(Decision.STEP_DOWN, LeaderChoice.decide(List.of(other), null, Holder.ME).decision());
    assertEquals(Decision.FOLLOW, LeaderChoice.decide(List.of(other), null, Holder.OTHER).decision());
  }
}
