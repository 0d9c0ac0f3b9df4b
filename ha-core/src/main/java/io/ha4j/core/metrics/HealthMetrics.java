package io.ha4j.core.metrics;

import io.ha4j.core.health.HealthEngine;
import io.ha4j.api.health.HealthState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The meters of a {@link HealthEngine}; all read the engine's own counters when the registry is
 * scraped:
 *
 * <ul>
 *   <li>{@code ha4j.health.checks}: check attempts finished, retries and timeouts included;
 *   <li>{@code ha4j.health.checks.failed}: the attempts among them that failed or timed out;
 *   <li>{@code ha4j.health.targets{state=UP|DOWN|UNKNOWN}}: targets (usually real servers) in each
 *       state now.
 * </ul>
 *
 * <p>The engine is held weakly, as Micrometer does for functional meters.
 */
public final class HealthMetrics implements MeterBinder {

  private final HealthEngine engine;
  private final Tags tags;

  /** Meters of {@code engine} without extra tags. */
  public HealthMetrics(HealthEngine engine) {
    this(engine, Tags.empty());
  }

  /** Meters of {@code engine}, each carrying {@code tags} (for example the node's name). */
  public HealthMetrics(HealthEngine engine, Iterable<Tag> tags) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("ha4j.health.checks", engine, HealthEngine::checksRun)
        .description("Health-check attempts finished, retries and timeouts included")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder("ha4j.health.checks.failed", engine, HealthEngine::checksFailed)
        .description("Health-check attempts that failed or timed out")
        .tags(tags)
        .register(registry);
    for (HealthState state : HealthState.values()) {
      Gauge.builder("ha4j.health.targets", engine, e -> e.count(state))
          .description("Health-check targets (real servers) in this state now")
          .tags(tags)
          .tag("state", state.name())
          .register(registry);
    }
  }
}
