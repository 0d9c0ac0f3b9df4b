package io.ha4j.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs against a simulated cluster: the method gets a started {@link
 * io.ha4j.testkit.cluster.ClusterHarness} parameter, and every {@link
 * io.ha4j.testkit.cluster.Invariant} is checked over its history when the test ends.
 *
 * <pre>{@code
 * @SimulatedCluster(nodes = 3)
 * void failover(ClusterHarness cluster) {
 *   cluster.runFor(Duration.ofSeconds(5));
 *   cluster.inject(new Fault.Crash(cluster.master().orElseThrow()));
 *   cluster.runFor(Duration.ofSeconds(5));
 *   assertEquals(List.of("n2"), cluster.masters());
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(SimulatedClusterExtension.class)
public @interface SimulatedCluster {

  /** Number of members, 2..9, named n1, n2, ... */
  int nodes() default 3;

  /**
   * Base priorities in member order; empty for 200, 190, 180, ... Must have {@code nodes}
   * entries when given.
   */
  int[] priorities() default {};

  /** Whether a higher-priority backup takes over from a lower-priority master. */
  boolean preempt() default true;

  /** The advertisement interval in milliseconds. */
  long advertisementMillis() default 1000;

  /** The seed of the simulated network's random choices. */
  long seed() default 1;

  /** Whether the invariants are checked over the history after the test (a failure fails the test). */
  boolean checkInvariants() default true;
}
