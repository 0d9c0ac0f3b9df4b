package io.ha4j.zookeeper.internal;

import io.ha4j.api.election.Tracked;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The effective priority from the base priority and the tracked objects' states, as keepalived
 * weighs them: a positive weight counts while the object is up, a negative one while it is down,
 * and a down object of weight 0 means FAULT. Held addresses are tracked at weight 0 without being
 * configured (see {@link Tracked.Kind#ADDRESS}). The result stays within 1..254 unless the base is
 * 255. Safe to call from any thread.
 */
public final class TrackedWeights {

  private final int base;
  private final Map<Tracked, Integer> weights;
  private final Set<Tracked> down = new HashSet<>();

  /** Weights for {@code base} priority and the configured {@code weights}. */
  public TrackedWeights(int base, Map<Tracked, Integer> weights) {
    this.base = base;
    this.weights = new HashMap<>(Objects.requireNonNull(weights, "weights"));
  }

  /** The weight of {@code object}, or null when it is not tracked. */
  public @Nullable Integer weight(Tracked object) {
    Integer w = weights.get(object);
    return w == null && object.kind() == Tracked.Kind.ADDRESS ? Integer.valueOf(0) : w;
  }

  /** What a report of a tracked object's state did. */
  public enum Update {
    /** The object is not tracked: nothing to do. */
    UNTRACKED,
    /** Tracked, and already in that state. */
    UNCHANGED,
    /** Tracked, and its state changed. */
    CHANGED
  }

  /** Records the state of {@code object}. */
  public synchronized Update set(Tracked object, boolean up) {
    if (weight(object) == null) {
      return Update.UNTRACKED;
    }
    return (up ? down.remove(object) : down.add(object)) ? Update.CHANGED : Update.UNCHANGED;
  }

  /** Whether a down object of weight 0 puts the member in FAULT. */
  public synchronized boolean faulted() {
    for (Tracked t : down) {
      Integer w = weight(t);
      if (w != null && w == 0) {
        return true;
      }
    }
    return false;
  }

  /** The effective priority, 0 in FAULT. */
  public synchronized int effective() {
    if (faulted()) {
      return 0;
    }
    if (base == 255) {
      return 255;
    }
    int p = base;
    for (Map.Entry<Tracked, Integer> e : weights.entrySet()) {
      boolean isDown = down.contains(e.getKey());
      int w = e.getValue();
      if (w > 0 && !isDown || w < 0 && isDown) {
        p += w;
      }
    }
    return Math.max(1, Math.min(254, p));
  }
}
