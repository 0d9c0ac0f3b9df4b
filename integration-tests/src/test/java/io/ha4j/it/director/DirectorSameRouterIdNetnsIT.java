package io.ha4j.it.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.testkit.netns.NetnsTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's acceptance: two directors whose configurations both say {@code router_id LVS_DEVEL}
 * (keepalived's sample default, copied to both nodes), at the same priority: exactly one VIP owner
 * after settling. With one node id, each dropped the other's advertisements as its own and both
 * held the VIP for good; the director's node id is now router_id@unicast_src_ip.
 */
@NetnsTest
class DirectorSameRouterIdNetnsIT {

  /** Settled: one and the same owner for this long (10 advertisement intervals). */
  static final Duration SETTLE = Duration.ofSeconds(1);
  static final Duration WATCH = Duration.ofSeconds(3);

  @Test
  void copiedRouterIdsGiveExactlyOneVipOwner(@TempDir Path dir) throws Exception {
    try (DirectorHosts d = DirectorHosts.bridge("drid", 2, dir)) {
      long start = System.nanoTime();
      d.start(1, d.config(1, 2, "LVS_DEVEL", 100, ""));
      d.start(2, d.config(2, 1, "LVS_DEVEL", 100, ""));
      long[] since = {0};
      int[] owner = {0};
      d.await("one and the same VIP owner for " + SETTLE, Duration.ofSeconds(30), () -> {
        int now = d.hasVip(1) == d.hasVip(2) ? 0 : d.hasVip(1) ? 1 : 2;
        if (now == 0 || now != owner[0]) {
          owner[0] = now;
          since[0] = System.nanoTime();
          return false;
        }
        return System.nanoTime() - since[0] >= SETTLE.toNanos();
      });
      long settled = (System.nanoTime() - start) / 1_000_000;

      int samples = 0;
      int exactlyOne = 0;
      Set<Integer> owners = new TreeSet<>();
      long end = System.nanoTime() + WATCH.toNanos();
      while (System.nanoTime() - end < 0) {
        boolean n1 = d.hasVip(1);
        boolean n2 = d.hasVip(2);
        samples++;
        if (n1 != n2) {
          exactlyOne++;
          owners.add(n1 ? 1 : 2);
        }
        Thread.sleep(10);
      }
      System.out.printf("[director netns] same router_id LVS_DEVEL on n1 and n2, priority 100 each: settled "
          + "(n%d the only VIP owner for %d ms) %d ms after start; then exactly one owner in %d of %d samples over "
          + "%d ms, owner(s) %s%n", owner[0], SETTLE.toMillis(), settled, exactlyOne, samples, WATCH.toMillis(), owners);
      assertEquals(samples, exactlyOne, "not exactly one VIP owner after settling\n" + d.logs());
      assertEquals(1, owners.size(), "the VIP moved after settling: " + owners + "\n" + d.logs());
      assertTrue(d.contains(d.log(1), "LVS_DEVEL@" + d.rig.address(1).getHostAddress())
          || d.contains(d.log(2), "LVS_DEVEL@" + d.rig.address(2).getHostAddress()), d.logs());
    }
  }
}
