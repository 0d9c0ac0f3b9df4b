package io.ha4j.api.member;

import java.util.concurrent.CompletionStage;

/** Starts and stops the application of a warm standby ({@code StandbyPolicy.warm} in ha-core). */
public interface ApplicationControl {

  /**
   * Starts the application; the member takes the virtual addresses when the stage completes (or
   * when the start timeout ends: a master with a cold application beats no master). Called on the
   * member's scheduler thread; must return quickly and work asynchronously.
   */
  CompletionStage<?> start();

  /** Stops the application after the member lost the master role. Must return quickly. */
  void stop();
}
