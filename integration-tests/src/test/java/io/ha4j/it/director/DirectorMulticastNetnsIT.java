package io.ha4j.it.director;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.testkit.netns.NetnsTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: keepalived's default transport. Two directors whose configurations have no {@code
 * unicast_peer} (keepalived.conf.vrrp's shape: {@code auth_pass 1111}, no source address) advertise
 * to 224.0.0.18 on their interface (keepalived.conf(5), RFC 5798 section 5.1.1.2) and elect one
 * master; {@code kill -9} of the master moves the VIP within the backup's master-down interval
 * (RFC 5798 section 6.4.2; no death witness over multicast) plus a margin.
 */
@NetnsTest
class DirectorMulticastNetnsIT {

  /** JVM scheduling on two shared cores, the netlink round trips and the `ip` polling. */
  static final Duration MARGIN = Duration.ofMillis(400);
  static final Duration ADVERT = DirectorHosts.ADVERT;

  @Test
  void multicastPairElectsOneMasterAndKillMovesTheVip(@TempDir Path dir) throws Exception {
    try (DirectorHosts d = DirectorHosts.bridge("dmc", 2, dir)) {
      Process d1 = d.start(1, d.multicastConfig(1, "LVS_DEVEL", 150));
      Process d2 = d.start(2, d.multicastConfig(2, "LVS_DEVEL", 100));
      d.await("n1 (priority 150) owns the VIP", Duration.ofSeconds(30), () -> d.hasVip(1));
      // Each hears the other over the group: the backup stays backup for several intervals.
      Thread.sleep(10 * ADVERT.toMillis());
      assertFalse(d.hasVip(2), "n2 must not hold the VIP while n1 is master over multicast\n" + d.logs());
      assertTrue(d.contains(d.log(1), "multicast on " + d.rig.interfaceName(1)), d.logs());
      assertTrue(d.contains(d.log(1), "LVS_DEVEL@" + d.rig.address(1).getHostAddress()), d.logs());
      assertTrue(d.contains(d.log(2), "role INIT -> BACKUP") || d.contains(d.log(2), "-> BACKUP"), d.logs());

      long start = System.nanoTime();
      d1.destroyForcibly();
      d.await("n2 owns the VIP after kill -9 of n1", Duration.ofSeconds(10), () -> d.hasVip(2));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      Duration mdi = VrrpElection.masterDownInterval(100, ADVERT);
      System.out.printf("[director netns] multicast 224.0.0.18, no unicast_peer: kill -9 of master n1 -> VIP on n2 "
          + "after %d ms (master-down interval %d ms, bound %d ms)%n", took.toMillis(), mdi.toMillis(),
          mdi.plus(MARGIN).toMillis());
      assertTrue(took.compareTo(mdi.plus(MARGIN)) <= 0, "kill -9 take-over over multicast took " + took);
      assertTrue(d2.isAlive());
    }
  }

}
