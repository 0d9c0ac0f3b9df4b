package io.ha4j.heartbeat;

import io.ha4j.api.election.Tracked;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The effective priority from the configured one and the tracked objects' weights (keepalived's
 * {@code vrrp_track.c}): an object that is up adds a positive weight, one that is down adds a
 * negative weight, and the sum stays in 1..254; the address owner keeps 255; a weight-0 object that
 * is down means FAULT, priority 0. Every object starts up. A held address ({@link
 * Tracked.Kind#ADDRESS}) is always tracked, at weight 0: the member reports it down when it cannot
 * hold the address.
 */
final class TrackedPriority {

  private final int base;
  private final Map<Tracked, Integer> weights;
  /** Guarded by the election's lock. */
  private final Map<Tracked, Boolean> up = new HashMap<>();
  /** Read without the lock. */
  private volatile int effective;

  TrackedPriority(int base, Map<Tracked, Integer> weights) {
    this.base = base;
    this.weights = weights;
    weights.keySet().forEach(o -> up.put(o, true));
    this.effective = compute();
  }

  /** The priority now: 0 in FAULT. */
  int effective() {
    return effective;
  }

  /** The weight of {@code object}, or null if it is not tracked. */
  @Nullable Integer weight(Tracked object) {
    Integer w = weights.get(object);
    return w == null && object.kind() == Tracked.Kind.ADDRESS ? Integer.valueOf(0) : w;
  }

  /**
   * Records the state of a tracked object and recomputes the priority. Under the election's lock.
   *
   * @return false if the object was in that state already
   */
  boolean set(Tracked object, boolean isUp) {
    Boolean was = up.put(object, isUp);
    if (was != null && was == isUp) {
      return false;
    }
    effective = compute();
    return true;
  }

  /** A weight-0 tracked object is down. */
  boolean faulted() {
    for (Map.Entry<Tracked, Boolean> e : up.entrySet()) {
      Integer w = weight(e.getKey());
      if (w != null && w == 0 && !e.getValue()) {
        return true;
      }
    }
    return false;
  }

  private int compute() {
    if (faulted()) {
      return 0;
    }
    if (base == HeartbeatConfig.OWNER_PRIORITY) {
      return base;
    }
    int p = base;
    for (Map.Entry<Tracked, Integer> e : weights.entrySet()) {
      boolean isUp = up.getOrDefault(e.getKey(), true);
      int w = e.getValue();
      if ((isUp && w > 0) || (!isUp && w < 0)) {
        p += w;
      }
    }
    return Math.max(1, Math.min(254, p));
  }
}
