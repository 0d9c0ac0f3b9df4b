package io.ha4j.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ha4j.api.Role;
import io.ha4j.testkit.cluster.ClusterHarness;
import io.ha4j.testkit.cluster.Fault;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedClusterExtensionTest {

  @SimulatedCluster(nodes = 3)
  void failover(ClusterHarness cluster) {
    cluster.runFor(Duration.ofSeconds(5));
    assertEquals(List.of("n1"), cluster.masters());
    cluster.inject(new Fault.Crash("n1"));
    cluster.runFor(Duration.ofSeconds(5));
    assertEquals(List.of("n2"), cluster.masters());
  }

  @SimulatedCluster(nodes = 2, priorities = {50, 150}, preempt = false, advertisementMillis = 100, seed = 9)
  void annotationAttributesShapeTheCluster(ClusterHarness cluster) {
    assertEquals(9, cluster.seed());
    assertEquals(List.of(50, 150), cluster.config().priorities());
    assertEquals(Duration.ofMillis(100), cluster.config().advertisementInterval());
    cluster.runFor(Duration.ofSeconds(1));
    assertEquals(Role.MASTER, cluster.role("n2"));
  }

  @Test
  void prioritiesMustMatchTheNodes() throws Exception {
    SimulatedCluster a = Holder.class.getDeclaredMethod("mismatch").getAnnotation(SimulatedCluster.class);
    assertThrows(org.junit.jupiter.api.extension.ParameterResolutionException.class,
        () -> SimulatedClusterExtension.config(a));
  }

  /** Private, so JUnit never discovers it: the method is only read for its annotation. */
  private static final class Holder {
    @SimulatedCluster(nodes = 3, priorities = {1, 2})
    void mismatch() {}
  }
}
