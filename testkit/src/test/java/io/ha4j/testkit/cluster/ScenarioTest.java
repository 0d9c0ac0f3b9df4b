package io.ha4j.testkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  @Property(tries = 300)
  void textFormRoundTrips(@ForAll("scenarios") Scenario s) {
    assertEquals(s, Scenario.parse(s.text()));
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return ClusterArbitraries.scenarios();
  }

  @Test
  void everyFaultKindParses() {
    String text = "nodes=3 prio=200,100,50 preempt=false adv=100ms delay=100us jitter=5ms dup=0.01 reorder=0.1"
        + " stall-threshold=0.25 ; @1s crash n1 ; @2s restart n1 ; @3s stop n2 ; @3500ms stall n3 1500ms"
        + " ; @4s priority-drop n1 ; @4s priority-restore n1 ; @5s ifdown n2 ; @5s ifup n2 ; @6s drift n3 1.05"
        + " ; @7s partition n1,n2|n3 ; @8s cut n1>n3 ; @9s heal ; @10s loss 0.2 ; end @20s";
    Scenario s = Scenario.parse(text);
    assertEquals(13, s.faults().size());
    assertEquals(s, Scenario.parse(s.text()));
  }

  @Test
  void badTextNamesWhatIsWrong() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Scenario.parse("nodes=2 ; @1s explode n1 ; end @5s"));
    assertTrue(e.getMessage().contains("explode"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Scenario.parse("nodes=2 ; @1s crash n7 ; end @5s"));
    assertTrue(e.getMessage().contains("n7"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Scenario.parse("nodes=2 ; @9s crash n1 ; end @5s"));
    assertTrue(e.getMessage().contains("horizon"), e.getMessage());
  }
}
