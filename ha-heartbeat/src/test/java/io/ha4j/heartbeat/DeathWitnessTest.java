package io.ha4j.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import io.ha4j.api.election.RoleChange;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The death witness in an election on virtual time (package {@code io.ha4j.heartbeat.witness}):
 * each case of its documentation, with the conclusion it must give. One-way latency 1 ms, the
 * master's kernel closes a dead process's connections 3 ms after the kill.
 */
class DeathWitnessTest {

  private final SimulatedLan lan = new SimulatedLan(true);
  private final FakeWitnessNetwork net = java.util.Objects.requireNonNull(lan.witnesses);

  /**
   * The witness bound for a backup of {@code priority}: the kernel's close (3 ms) and its way (1
   * ms), the probe's round trip (2 ms), the stagger, and the take-over's advertisement (1 ms), with
   * 1 ms of margin: 8 ms + (255 - p) * 50 us.
   */
  private static Duration witnessBound(int priority) {
    return Duration.ofMillis(8).plus(HeartbeatConfig.DEFAULT_WITNESS_STAGGER.multipliedBy(255 - priority));
  }

  private SimulatedLan.Member settledMaster(int masterPriority, int... backups) {
    SimulatedLan.Member m = lan.add("n1", masterPriority);
    for (int i = 0; i < backups.length; i++) {
      lan.add("n" + (i + 2), backups[i]);
    }
    lan.startAll();
    lan.advance(Duration.ofSeconds(10));
    assertEquals(List.of("n1"), lan.masters());
    for (int i = 0; i < backups.length; i++) {
      assertEquals(1, lan.get("n" + (i + 2)).election.witnessStats().watching(), "n" + (i + 2) + " watches n1");
    }
    return m;
  }

  private static InetAddress host(SimulatedLan.Member m) {
    return m.address.getAddress();
  }

  @Test
  void aBackupReplacesAMasterWhoseProcessDiedWithinTheWitnessBound() {
    SimulatedLan.Member n1 = settledMaster(200, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    n1.kill();
    Duration took = lan.advanceUntil(() -> n2.role() == Role.MASTER, Duration.ofSeconds(5));
    assertTrue(took.compareTo(witnessBound(100)) <= 0, "took " + took + ", bound " + witnessBound(100));
    Duration masterDown = VrrpElection.masterDownInterval(100, ElectionFixture.INTERVAL);
    assertTrue(took.multipliedBy(100).compareTo(masterDown) < 0, took + " is not far below " + masterDown);
    RoleChange c = n2.changes.get(n2.changes.size() - 1);
    assertTrue(c.reason().contains("process died"), c.reason());
    assertTrue(c.lostMasterHeardAtNanos().isPresent(), "the take-over measures from the lost master's last advert");
    WitnessStats s = n2.election.witnessStats();
    assertEquals(1, s.unannouncedCloses());
    assertEquals(1, s.refused());
    assertEquals(1, s.conclusions());
  }

  @Test
  void amongSeveralBackupsTheHighestPriorityGoesFirstAndTheOthersStayBackup() {
    SimulatedLan.Member n1 = settledMaster(250, 200, 100);
    n1.kill();
    lan.advanceUntil(() -> lan.get("n2").role() == Role.MASTER, witnessBound(200));
    lan.advance(Duration.ofSeconds(5));
    assertEquals(List.of("n2"), lan.masters());
    assertEquals(1, lan.get("n3").election.witnessStats().conclusions(), "n3 concluded too");
    assertTrue(lan.get("n3").changes.stream().noneMatch(c -> c.to() == Role.MASTER), "n3 waited and heard n2");
  }
}
