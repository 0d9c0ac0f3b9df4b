package io.ha4j.zookeeper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.election.Tracked;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackedWeightsTest {

  // keepalived.conf(5), track_interface/track_script: weight added while up (positive) or while down (negative).
  @Test
  void weightsMoveThePriorityAsKeepalivedDoes() {
    Tracked eth = Tracked.networkInterface("eth0");
    Tracked check = Tracked.check("web");
    TrackedWeights w = new TrackedWeights(100, Map.of(eth, -50, check, 20));
    assertEquals(120, w.effective());
    assertEquals(TrackedWeights.Update.CHANGED, w.set(eth, false));
    assertEquals(TrackedWeights.Update.UNCHANGED, w.set(eth, false));
    assertEquals(TrackedWeights.Update.UNTRACKED, w.set(Tracked.networkInterface("eth1"), false));
    assertEquals(70, w.effective());
    w.set(Tracked.heldAddress("198.51.100.7"), false);
    assertTrue(w.faulted());
    assertEquals(0, w.effective());
  }
}
