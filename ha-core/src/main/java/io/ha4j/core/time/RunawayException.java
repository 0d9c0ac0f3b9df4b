package io.ha4j.core.time;

/**
 * Too many tasks ran at one instant of virtual time: some task keeps rescheduling itself (or
 * another) with zero delay, which would hang a test. The message names the most frequent task.
 */
public final class RunawayException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public RunawayException(String message) {
    super(message);
  }
}
