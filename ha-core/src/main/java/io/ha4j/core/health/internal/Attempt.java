package io.ha4j.core.health.internal;

import io.ha4j.api.health.CheckContext;
import java.time.Duration;

/** The context of one check attempt, carrying the engine's I/O for the built-in checks. */
record Attempt(String target, Duration timeout, long plannedStartNanos, int attempt, Probes probes)
    implements CheckContext {}
