package io.ha4j.heartbeat;

import static io.ha4j.heartbeat.ElectionFixture.CLUSTER;
import static io.ha4j.heartbeat.ElectionFixture.GROUP;
import static io.ha4j.heartbeat.ElectionFixture.INTERVAL;
import static io.ha4j.heartbeat.ElectionFixture.NO_VIPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.election.RoleChange;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Freshness of advertisements (package documentation, "Freshness"): an incarnation counts once
 * its sender answered a challenge, whatever its value, and a replayed capture never does.
 */
class FreshnessTest {

  static SimulatedLan n1At200WithIncarnationAMillionAndN2At100() {
    SimulatedLan lan = new SimulatedLan();
    lan.add("n1", b -> b.priority(200).incarnations(() -> 1_000_000));
    lan.add("n2", b -> b.priority(100).incarnations(() -> 500));
    lan.startAll();
    lan.advance(Duration.ofSeconds(10));
    assertEquals(List.of("n1"), lan.masters());
    return lan;
  }

  @Test
  void aMemberRestartedWithItsClockBehindIsMasterAgainWithinAnAdvertisementInterval() {
    // Issue 16 item 2: a VM snapshot restore or a start before NTP sync gives a lower incarnation.
    SimulatedLan lan = n1At200WithIncarnationAMillionAndN2At100();
    lan.get("n1").kill();
    lan.advanceUntil(() -> lan.masters().equals(List.of("n2")), Duration.ofSeconds(10));
    lan.advance(Duration.ofSeconds(5));
    SimulatedLan.Member n1 = lan.restart("n1", b -> b.priority(200).incarnations(() -> 1)); // clock an hour behind
    Duration limit = VrrpElection.masterDownInterval(200, INTERVAL).plus(INTERVAL);
    lan.advanceUntil(() -> lan.masters().equals(List.of("n1")), limit);
    long n1Master = lastChangeTo(n1.changes, Role.MASTER).atNanos();
    long n2Backup = lastChangeTo(lan.get("n2").changes, Role.BACKUP).atNanos();
    Duration gap = Duration.ofNanos(n2Backup - n1Master);
    System.out.printf("[freshness] n1 restarted with a lower incarnation: sole master %d ms after it took over%n",
        gap.toMillis());
    assertTrue(gap.compareTo(INTERVAL) <= 0, "two masters for " + gap);
    lan.advance(Duration.ofSeconds(10));
    assertEquals(List.of("n1"), lan.masters());
    assertTrue(lan.get("n2").election.proofStats().proven() >= 2, lan.get("n2").election.proofStats().toString());
  }

  @Test
  void anIncarnationOfLongMaxValueFromAKeyHolderDoesNotLockTheMasterOut() {
    // Issue 16 item 2: one forged advertisement must not make the real master's look replayed.
    SimulatedLan lan = n1At200WithIncarnationAMillionAndN2At100();
    AdvertisementCodec keyHolder = new AdvertisementCodec(CLUSTER, GROUP, List.of(ElectionFixture.KEY));
    ByteBuffer forged = keyHolder.encode(new Advertisement(CLUSTER, GROUP, NodeId.of("n1"), 200, Role.MASTER,
        INTERVAL, Long.MAX_VALUE, 1, NO_VIPS));
    byte[] bytes = new byte[forged.remaining()];
    forged.get(bytes);
    SimulatedLan.Member n2 = lan.get("n2");
    int changes = n2.changes.size();
    long unproven = n2.election.stats().dropped(DropReason.UNPROVEN);
    n2.inject(bytes);
    for (int i = 0; i < 2000; i++) {
      lan.advance(Duration.ofMillis(10));
      assertEquals(List.of("n1"), lan.masters(), "after " + (i * 10) + " ms");
    }
    assertEquals(changes, n2.changes.size(), "n2 stayed backup");
    assertEquals(unproven + 1, n2.election.stats().dropped(DropReason.UNPROVEN), "the forged one, held back");
  }

  @Test
  void aReplayedCaptureOfADeadMasterDoesNotHoldARestartedBackup() {
    // Issue 16 item 3: the restarted backup knows no incarnation; the capture cannot answer its challenge.
    SimulatedLan lan = n1At200WithIncarnationAMillionAndN2At100();
    List<byte[]> capture = new ArrayList<>(lan.get("n1").captured);
    lan.get("n1").kill();
    SimulatedLan.Member n2 = lan.restart("n2", b -> b.priority(100).incarnations(() -> 501));
    long restartedAt = lan.clock.nanoTime();
    for (int round = 0; round < 3; round++) {
      for (byte[] packet : capture) {
        n2.inject(packet);
        lan.advance(Duration.ofMillis(250));
      }
    }
    RoleChange master = lastChangeTo(n2.changes, Role.MASTER);
    Duration took = Duration.ofNanos(master.atNanos() - restartedAt);
    Duration mdi = VrrpElection.masterDownInterval(100, INTERVAL);
    HeartbeatStats stats = n2.election.stats();
    System.out.printf("[freshness] replayed capture of %d datagrams x3 at a restarted backup: master after %d ms "
        + "(master-down %d ms); unproven %d, bad proofs %d, challenges %d%n", capture.size(), took.toMillis(),
        mdi.toMillis(), stats.dropped(DropReason.UNPROVEN), stats.dropped(DropReason.BAD_PROOF),
        n2.election.proofStats().challengesSent());
    assertEquals(Role.MASTER, n2.role());
    assertTrue(took.compareTo(mdi) <= 0, took + " vs master-down " + mdi);
    assertEquals(0, stats.accepted(), "nothing of the capture counted");
    assertTrue(stats.dropped(DropReason.BAD_PROOF) >= 1, "n1's captured answer to n2's old challenge: " + stats);
  }

  @Test
  void aRetiredKeyIsRefusedAtOnceOrAtItsDeadline() {
    // Issue 16 item 4: after a rollover the old key (id 1, peers' KEY) is retired.
    HeartbeatKey next = new HeartbeatKey(2, "the-next-shared-secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    ElectionFixture f = new ElectionFixture(b -> b.keys(List.of(next, ElectionFixture.KEY))).started();
    f.election.retireKey(1, Duration.ofSeconds(5));
    f.receive("n2", 200);
    assertEquals(1, f.election.stats().accepted(), "before the deadline");
    f.advance(Duration.ofSeconds(2));
    f.receive("n2", 200);
    f.advance(Duration.ofSeconds(3));
    f.receive("n2", 200);
    assertEquals(2, f.election.stats().accepted());
    assertEquals(1, f.election.stats().dropped(DropReason.RETIRED_KEY), "at the deadline");
    f.advance(f.masterDownInterval().minusSeconds(3));
    assertEquals(Role.MASTER, f.role(), "the advert with a retired key did not reset the timer");

    ElectionFixture g = new ElectionFixture(b -> b.keys(List.of(next, ElectionFixture.KEY))).started();
    g.receive("n2", 200);
    g.election.retireKey(1);
    g.receive("n2", 200);
    assertEquals(1, g.election.stats().dropped(DropReason.RETIRED_KEY), "removed at runtime");
    assertThrowsIllegalArgument(() -> g.election.retireKey(2), "signs our advertisements");
    assertThrowsIllegalArgument(() -> g.election.retireKey(9), "not configured");
  }

  private static void assertThrowsIllegalArgument(Runnable r, String message) {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  private static RoleChange lastChangeTo(List<RoleChange> changes, Role to) {
    for (int i = changes.size() - 1; i >= 0; i--) {
      if (changes.get(i).to() == to) {
        return changes.get(i);
      }
    }
    throw new AssertionError("never became " + to + ": " + changes);
  }
}
