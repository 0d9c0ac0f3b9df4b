package io.ha4j.heartbeat;

import io.ha4j.api.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which of an election's accepted keys are retired, and from when on: after a rollover the old
 * key must stop being accepted, or whoever learns it later can still speak for the cluster.
 * Deadlines run on the election's {@link Clock}. Thread-safe: set from any thread, read on the
 * receive path.
 */
final class KeyRetirement {

  private final Clock clock;
  private final HeartbeatConfig config;
  /** Key id to the {@link Clock#nanoTime()} from which it is refused. */
  private final Map<Integer, Long> deadlines = new ConcurrentHashMap<>();

  KeyRetirement(HeartbeatConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * Refuses key {@code keyId} from {@code after} on (zero: at once). An earlier deadline set
   * before stays.
   *
   * @throws IllegalArgumentException if the key is not configured, is the signing key (peers would
   *     refuse everything we send), or {@code after} is negative
   */
  void retire(int keyId, Duration after) {
    Objects.requireNonNull(after, "after");
    if (after.isNegative()) {
      throw new IllegalArgumentException("a key's retirement must not lie in the past, was " + after);
    }
    if (config.keys().stream().noneMatch(k -> k.id() == keyId)) {
      throw new IllegalArgumentException("key id " + keyId + " is not configured");
    }
    if (config.keys().get(0).id() == keyId) {
      throw new IllegalArgumentException("key id " + keyId + " signs our advertisements: roll over to another key first");
    }
    long deadline = clock.nanoTime() + after.toNanos();
    deadlines.merge(keyId, deadline, (a, b) -> a - b <= 0 ? a : b);
  }

  /** Whether key {@code keyId} is retired now. */
  boolean retired(int keyId) {
    if (deadlines.isEmpty()) {
      return false;
    }
    Long deadline = deadlines.get(keyId);
    return deadline != null && clock.nanoTime() - deadline >= 0;
  }
}
