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
      pair(d, "224.0.0.18", DirectorHosts.VIP + "/24", DirectorHosts.VIP, d.rig.address(1).getHostAddress());
    }
  }

  /** An IPv6 instance (its first virtual address is IPv6): ff02::12 (RFC 5798 section 5.1.2.2). */
  @Test
  void ipv6InstanceUsesFf02Colon12(@TempDir Path dir) throws Exception {
    try (DirectorHosts d = DirectorHosts.bridge("dmc6", 2, dir)) {
      pair(d, "ff02:0:0:0:0:0:0:12", "2001:db8::100/64", "2001:db8::100", d.rig.address6(1).getHostAddress());
    }
  }

  private static void pair(DirectorHosts d, String group, String vip, String vipAddress, String n1Address)
      throws Exception {
    Process d1 = d.start(1, d.multicastConfig(1, "LVS_DEVEL", 150, vip));
    Process d2 = d.start(2, d.multicastConfig(2, "LVS_DEVEL", 100, vip));
    d.await("n1 (priority 150) owns the VIP", Duration.ofSeconds(30), () -> d.rig.hasAddress(1, vipAddress));
    // Each hears the other over the group: the backup stays backup for several intervals.
    Thread.sleep(10 * ADVERT.toMillis());
    assertFalse(d.rig.hasAddress(2, vipAddress), "n2 must not hold the VIP while n1 is master over multicast\n"
        + d.logs());
    assertTrue(d.contains(d.log(1), "multicast to " + group + " on " + d.rig.interfaceName(1)), d.logs());
    assertTrue(d.contains(d.log(1), "LVS_DEVEL@" + n1Address), d.logs());
    assertTrue(d.contains(d.log(2), "-> BACKUP"), "n2 heard n1 over the group and stayed backup\n" + d.logs());

    long start = System.nanoTime();
    d1.destroyForcibly();
    d.await("n2 owns the VIP after kill -9 of n1", Duration.ofSeconds(10), () -> d.rig.hasAddress(2, vipAddress));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Duration mdi = VrrpElection.masterDownInterval(100, ADVERT);
    System.out.printf("[director netns] multicast %s, no unicast_peer: kill -9 of master n1 -> VIP on n2 "
        + "after %d ms (master-down interval %d ms, bound %d ms)%n", group, took.toMillis(), mdi.toMillis(),
        mdi.plus(MARGIN).toMillis());
    assertTrue(took.compareTo(mdi.plus(MARGIN)) <= 0, "kill -9 take-over over multicast took " + took);
    assertTrue(d2.isAlive());
  }
}
