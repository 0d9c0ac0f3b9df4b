package io.ha4j.api.health;

/** What the checks of a target concluded, after rise/fall thresholds. */
public enum HealthState {
  /** No conclusion yet (before the first rise or fall threshold is reached). */
  UNKNOWN,
  UP,
  DOWN
}
