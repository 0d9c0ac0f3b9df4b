package io.ha4j.api.health;

import java.time.Duration;

/**
 * What the engine tells a check about the attempt it is asked to make. Built-in checks only run
 * with the context of a {@code HealthEngine}, which also carries the engine's I/O threads.
 */
public interface CheckContext {

  /** The id the target was registered under. */
  String target();

  /** How long the attempt may take; the engine counts it as failed after that. */
  Duration timeout();

  /**
   * When this round was planned to start, on the engine scheduler's {@link
   * io.ha4j.api.Clock#nanoTime()}; a round's retries share it. Minus the actual start this is the
   * scheduling lateness.
   */
  long plannedStartNanos();

  /** 0 for the first attempt of a round, then 1, 2, ... for retries. */
  int attempt();
}
