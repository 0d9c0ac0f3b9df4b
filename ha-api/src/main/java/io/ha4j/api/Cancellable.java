package io.ha4j.api;

/** A scheduled task that can be cancelled before it runs (again). */
@FunctionalInterface
public interface Cancellable {

  /**
   * Cancels the task. A one-shot task that has not run yet will not run; a periodic task runs no
   * further. Cancelling twice, or after the task ran, is harmless.
   */
  void cancel();
}
