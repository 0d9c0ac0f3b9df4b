package io.ha4j.testkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterHarnessTest {

  @Test
  void smoke() {
    ClusterHarness h = ClusterHarness.create(ClusterConfig.of(3), 1);
    h.start();
    h.runFor(Duration.ofSeconds(10));
    assertEquals(List.of("n1"), h.masters());
    h.inject(new Fault.Crash("n1"));
    h.runFor(Duration.ofSeconds(10));
    h.inject(new Fault.Restart("n1"));
    h.runFor(Duration.ofSeconds(10));
    System.out.println(h.history().render());
    System.out.println(h.check());
    assertTrue(h.check().isEmpty());
  }
}
