package io.ha4j.api;

/**
 * A monotonic time source. Core logic asks a {@code Clock} instead of calling
 * {@link System#nanoTime()} so that a virtual clock can drive a whole cluster deterministically.
 */
@FunctionalInterface
public interface Clock {

  /** Monotonic time in nanoseconds; only differences between two readings are meaningful. */
  long nanoTime();

  /** The system's monotonic clock. */
  static Clock system() {
    return System::nanoTime;
  }
}
