package io.ha4j.heartbeat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs before a member becomes master, for a warm standby: load caches, open connections, check
 * that the services can run. The election stays BACKUP (and keeps listening) until the stage
 * completes.
 *
 * <p>On success the member becomes master. If the stage fails or does not complete within {@link
 * HeartbeatConfig#beforeMasterTimeout()}, the member becomes master anyway and logs a WARN: when
 * the old master is gone, a cold master is better than none. If a master with a priority that
 * wins over ours is heard while the hook runs, the promotion is abandoned and the result ignored.
 */
@FunctionalInterface
public interface BeforeMaster {

  /** Does nothing. */
  BeforeMaster NONE = reason -> CompletableFuture.completedFuture(null);

  /**
   * Prepares to become master. Called on a thread of its own, outside the election's lock and off
   * its scheduler: the hook may block or call the election; a hook that never completes delays the
   * promotion by {@link HeartbeatConfig#beforeMasterTimeout()} and no more.
   *
   * @param reason why the member is about to become master
   */
  CompletionStage<?> prepare(String reason);
}
