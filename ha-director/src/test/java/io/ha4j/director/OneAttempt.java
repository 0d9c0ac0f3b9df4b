package io.ha4j.director;

import io.ha4j.api.health.CheckContext;
import java.time.Duration;

/** The context of a check's first attempt, for running a check by hand in a test. */
record OneAttempt(String target, Duration timeout) implements CheckContext {

  @Override
  public long plannedStartNanos() {
    return 0;
  }

  @Override
  public int attempt() {
    return 1;
  }
}
