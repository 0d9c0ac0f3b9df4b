package io.ha4j.it.heartbeat;

import io.ha4j.heartbeat.ElectionFixture;
import io.ha4j.heartbeat.RecordingListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import io.ha4j.api.election.RoleChange;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.testkit.net.LinkConditions;
import io.ha4j.testkit.net.SimulatedNetwork;
import io.ha4j.core.time.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * False fail-overs of a live master under independent random loss, with one or more datagrams per
 * advertisement. Expectation from RFC 5798 section 6.1 timing: the backup (priority 100) takes over
 * when the 3 advertisements within its Master_Down_Interval ({@code 3 * interval + skew}) are all
 * lost, so over {@code A} advertisements about {@code A * q^3} false fail-overs, where {@code q =
 * p^copies} is the chance that every copy of one advertisement is lost.
 */
class AdvertisementCopiesTest {

  static final Duration INTERVAL = Duration.ofMillis(20);
  static final InetSocketAddress MASTER = new InetSocketAddress("198.51.100.1", 5405);
  static final InetSocketAddress BACKUP = new InetSocketAddress("198.51.100.2", 5405);

  /** Runs a live master (150) and a backup (100) for {@code run} and counts the backup's takeovers. */
  static long falseFailovers(double loss, int copies, Duration run, long seed) {
    Pair pair = new Pair(copies, seed);
    VrrpElection master = pair.master;
    VrrpElection backup = pair.backup;
    RecordingListener backupChanges = pair.backupChanges;
    VirtualClock clock = pair.clock;
    SimulatedNetwork net = pair.net;
    assertEquals(Role.MASTER, master.role(), "n1 (150) must be master before the loss starts");
    assertEquals(Role.BACKUP, backup.role());
    backupChanges.changes.clear();
    net.setDefaultConditions(LinkConditions.PERFECT.withLoss(loss));
    for (long s = 0; s < run.toSeconds(); s++) {
      clock.advanceBy(Duration.ofSeconds(1));
    }
    assertEquals(Role.MASTER, master.role(), "the higher priority stays master all along");
    return backupChanges.changes.stream().filter(c -> c.to() == Role.MASTER).count();
  }

  /** Master n1 (150) and backup n2 (100) on a perfect network, started and settled for 1 s. */
  private static final class Pair {
    final VirtualClock clock = new VirtualClock(1_000_000_000L);
    final SimulatedNetwork net;
    final VrrpElection master;
    final VrrpElection backup;
    final RecordingListener backupChanges = new RecordingListener();

    Pair(int copies, long seed) {
      net = new SimulatedNetwork(clock.newScheduler("wire"), seed);
      master = member(clock, net, "n1", 150, MASTER, BACKUP, copies);
      backup = member(clock, net, "n2", 100, BACKUP, MASTER, copies);
      backup.addListener(backupChanges);
      master.start();
      backup.start();
      clock.advanceBy(Duration.ofSeconds(1));
    }
  }

  private static VrrpElection member(VirtualClock clock, SimulatedNetwork net, String name, int priority,
      InetSocketAddress self, InetSocketAddress peer, int copies) {
    var scheduler = clock.newScheduler(name);
    HeartbeatConfig config = HeartbeatConfig.builder().clusterId(ElectionFixture.CLUSTER).groupId(ElectionFixture.GROUP)
        .nodeId(name).priority(priority).advertisementInterval(INTERVAL).key(ElectionFixture.KEY)
        .destination(peer).advertisementCopies(copies).build();
    return new VrrpElection(config, net.attach(self, scheduler), scheduler);
  }

  @Test
  void twentyPercentLossFailsOverFalselyAboutAsOftenAsThreeLostAdvertisementsInARow() {
    // 10 min at 20 ms: 30,000 advertisements, 30,000 * 0.2^3 = 240 expected with one copy.
    long one = falseFailovers(0.20, 1, Duration.ofMinutes(10), 11);
    assertTrue(one >= 120 && one <= 480, "expected about 240 false fail-overs with one copy, got " + one);
    // Two copies: 30,000 * 0.04^3 = 1.9 expected; three copies: 30,000 * 0.008^3 = 0.015.
    long two = falseFailovers(0.20, 2, Duration.ofMinutes(10), 11);
    assertTrue(two <= 10, "expected about 2 false fail-overs with two copies, got " + two);
    assertEquals(0, falseFailovers(0.20, 3, Duration.ofMinutes(10), 11), "three copies at 20% loss");
  }

  @Test
  void fivePercentLossForTenMinutesNeedsTwoCopiesForNoFalseFailover() {
    // One copy, one hour: 180,000 * 0.05^3 = 22.5 expected (3.75 per 10 minutes), so plain VRRP
    // timing cannot promise none in 10 minutes.
    long one = falseFailovers(0.05, 1, Duration.ofHours(1), 5);
    assertTrue(one >= 8 && one <= 45, "expected about 22 false fail-overs in an hour with one copy, got " + one);
    // Two copies, 10 minutes: 30,000 * 0.05^6 = 0.0005 expected, over 5 seeds.
    for (long seed = 1; seed <= 5; seed++) {
      assertEquals(0, falseFailovers(0.05, 2, Duration.ofMinutes(10), seed), "two copies, seed " + seed);
    }
  }

  @Test
  void copiesKeepTheDetectionTimeOfAKilledMaster() {
    // RFC 5798 6.4.2: the backup takes over one Master_Down_Interval after the last advertisement
    // heard, whatever the copies.
    for (int copies : new int[] {1, 2}) {
      Pair pair = new Pair(copies, 1);
      VrrpElection master = pair.master;
      VrrpElection backup = pair.backup;
      RecordingListener changes = pair.backupChanges;
      VirtualClock clock = pair.clock;
      SimulatedNetwork net = pair.net;
      long sentBefore = master.stats().sent();
      long acceptedBefore = backup.stats().accepted();
      clock.advanceBy(Duration.ofSeconds(1));
      assertEquals(50, master.stats().sent() - sentBefore, "sent counts advertisements, not copies");
      assertEquals(50L * copies, backup.stats().accepted() - acceptedBefore,
          "the backup accepts every copy");
      net.isolate(MASTER.getAddress());
      long cut = clock.nanoTime();
      clock.advanceBy(Duration.ofMillis(200));
      RoleChange takeover = changes.changes.stream().filter(c -> c.to() == Role.MASTER).findFirst().orElseThrow();
      long tookMs = (takeover.atNanos() - cut) / 1_000_000;
      long mdiMs = VrrpElection.masterDownInterval(100, INTERVAL).toMillis();
      assertTrue(tookMs <= mdiMs && tookMs > mdiMs - INTERVAL.toMillis() - 2,
          copies + " copies: took over after " + tookMs + " ms, master-down interval " + mdiMs + " ms");
    }
  }
}
