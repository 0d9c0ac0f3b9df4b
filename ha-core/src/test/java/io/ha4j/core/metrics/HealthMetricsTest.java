package io.ha4j.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.api.health.HealthState;
import io.ha4j.core.metrics.HealthMetrics;
import io.ha4j.core.time.VirtualClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The health engine's meters count attempts (retries and timeouts included) and targets by state. */
class HealthMetricsTest {

  private final VirtualClock clock = new VirtualClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double targets(HealthState state) {
    return registry.get("ha4j.health.targets").tags("node", "n1", "state", state.name()).gauge().value();
  }

  @Test
  void attemptsAndTargetStatesAreMetered() {
    // CheckSettings: one retry after a failed attempt; a stage that never completes times out.
    CheckSettings settings = new CheckSettings(Duration.ofSeconds(1), Duration.ofMillis(200), 1, 1, 1,
        Duration.ofMillis(100), false);
    try (HealthEngine engine = new HealthEngine(clock.newScheduler("health"), new Random(1))) {
      new HealthMetrics(engine, Tags.of("node", "n1")).bindTo(registry);
      engine.register("up", ctx -> CompletableFuture.completedFuture(CheckResult.up("connected")), settings);
      engine.register("silent", ctx -> new CompletableFuture<>(), settings);
      assertEquals(2.0, targets(HealthState.UNKNOWN));

      // Round one: "up" passes once; "silent" times out at 200 ms, retries at 300 ms and times out
      // again at 500 ms.
      clock.advanceBy(Duration.ofMillis(600));
      assertEquals(3.0, registry.get("ha4j.health.checks").functionCounter().count());
      assertEquals(2.0, registry.get("ha4j.health.checks.failed").functionCounter().count());
      assertEquals(1.0, targets(HealthState.UP));
      assertEquals(1.0, targets(HealthState.DOWN));
      assertEquals(0.0, targets(HealthState.UNKNOWN));

      engine.unregister("silent");
      clock.advanceBy(Duration.ofSeconds(1));
      assertEquals(4.0, registry.get("ha4j.health.checks").functionCounter().count());
      assertEquals(2.0, registry.get("ha4j.health.checks.failed").functionCounter().count());
      assertEquals(0.0, targets(HealthState.DOWN));
    }
  }
}
