package io.ha4j.testkit.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Invariant#S2}: two up, unstalled members that hear each other, with loss below {@link
 * Bounds#STABLE_LOSS}, both own the VIP for no longer than {@code B} at a stretch.
 */
final class SplitBrainCheck {

  private SplitBrainCheck() {}

  /** Adds the violations in {@code history} to {@code violations}. */
  static void check(History history, Bounds bounds, List<Violation> violations) {
    List<History.Event> events = history.events();
    long b = bounds.convergenceNanos();
    ClusterState s = new ClusterState(history.cluster());
    List<String> nodes = history.cluster().nodes();
    Map<String, Long> since = new HashMap<>();
    int i = 0;
    while (true) {
      long t = i < events.size() ? events.get(i).atNanos() : history.endNanos();
      for (Map.Entry<String, Long> e : since.entrySet()) {
        if (e.getValue() != null && e.getValue() >= 0 && t - e.getValue() > b) {
          violations.add(new Violation(Invariant.S2, e.getValue() + b, "members " + e.getKey()
              + " both own the VIP while they hear each other, for longer than " + History.time(b)));
          e.setValue(Long.MIN_VALUE);
        }
      }
      if (i >= events.size()) {
        return;
      }
      for (; i < events.size() && events.get(i).atNanos() == t; i++) {
        s.apply(events.get(i));
      }
      for (int x = 0; x < nodes.size(); x++) {
        for (int y = x + 1; y < nodes.size(); y++) {
          String a = nodes.get(x);
          String c = nodes.get(y);
          String key = a + "," + c;
          boolean both = s.up.contains(a) && s.up.contains(c) && s.owners.contains(a) && s.owners.contains(c)
              && s.linked(a, c) && !s.stalled(a) && !s.stalled(c) && s.loss < Bounds.STABLE_LOSS;
          Long old = since.get(key);
          if (!both) {
            since.remove(key);
          } else if (old == null) {
            since.put(key, t);
          }
        }
      }
    }
  }
}
