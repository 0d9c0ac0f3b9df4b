package io.ha4j.testkit.cluster;

import io.ha4j.api.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Invariant#V1}: an up, unstalled MASTER owns the VIP within {@link Bounds#vipHeldNanos}, or
 * leaves MASTER. Before issue 16 a master whose add failed stayed master without the VIP for good.
 */
final class VipHeldCheck {

  private VipHeldCheck() {}

  /** Adds the violations in {@code history} to {@code violations}. */
  static void check(History history, Bounds bounds, List<Violation> violations) {
    List<History.Event> events = history.events();
    long limit = bounds.vipHeldNanos();
    ClusterState s = new ClusterState(history.cluster());
    Map<String, Long> since = new HashMap<>();
    int i = 0;
    while (true) {
      long t = i < events.size() ? events.get(i).atNanos() : history.endNanos();
      for (Map.Entry<String, Long> e : since.entrySet()) {
        if (e.getValue() != Long.MIN_VALUE && t - e.getValue() > limit) {
          violations.add(new Violation(Invariant.V1, e.getValue() + limit, "member " + e.getKey()
              + " is master without the VIP for longer than " + History.time(limit)));
          e.setValue(Long.MIN_VALUE);
        }
      }
      if (i >= events.size()) {
        return;
      }
      for (; i < events.size() && events.get(i).atNanos() == t; i++) {
        s.apply(events.get(i));
      }
      for (String n : history.cluster().nodes()) {
        boolean without = s.up.contains(n) && !s.stalled(n) && s.role.get(n) == Role.MASTER && !s.owners.contains(n);
        if (!without) {
          since.remove(n);
        } else {
          since.putIfAbsent(n, t);
        }
      }
    }
  }
}
