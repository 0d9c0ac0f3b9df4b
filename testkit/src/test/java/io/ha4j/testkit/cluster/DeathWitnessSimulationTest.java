package io.ha4j.testkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.WitnessStats;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The death witness in the simulated cluster (issue 17): a killed process and a crashed host are
 * different faults, and {@link Invariant#W1} holds for the one and catches a witness that ignores
 * closes.
 */
class DeathWitnessSimulationTest {

  private static final Duration A = Duration.ofSeconds(1);

  private static ClusterHarness started(ClusterConfig c) {
    ClusterHarness h = ClusterHarness.create(c, 1);
    h.start();
    h.runFor(Duration.ofSeconds(10));
    assertEquals(List.of("n1"), h.masters());
    return h;
  }

  private static long takeOver(ClusterHarness h, String node, long after) {
    return h.history().events().stream()
        .filter(e -> e instanceof History.RoleChanged r && r.node().equals(node) && r.to() == Role.MASTER
            && r.atNanos() >= after)
        .mapToLong(History.Event::atNanos).min().orElse(-1) - after;
  }

  @Test
  void aKilledMasterIsReplacedByTheBestBackupWithinTheWitnessBound() {
    ClusterHarness h = started(ClusterConfig.of(3));
    long kill = h.clock().nanoTime();
    h.inject(new Fault.Kill("n1"));
    h.runFor(Duration.ofSeconds(10));
    assertEquals(List.of("n2"), h.masters());
    long took = takeOver(h, "n2", kill);
    long bound = Bounds.of(h.history()).witnessNanos(h.config().priority("n2"));
    System.out.printf("[witness] simulated kill of the master: n2 master after %.3f ms (W1 bound %.3f ms, "
        + "master-down %.0f ms)%n", took / 1e6, bound / 1e6, VrrpElection.masterDownInterval(190, A).toNanos() / 1e6);
    assertTrue(took > 0 && took <= bound, "took " + took);
    WitnessStats s = Objects.requireNonNull(h.election("n3")).witnessStats();
    assertEquals(1, s.conclusions(), "n3 concluded too, and heard n2 before its stagger ran out");
    h.assertInvariants();
  }

  @Test
  void aCrashedHostIsSilentSoTheTimerDecides() {
    ClusterHarness h = started(ClusterConfig.of(3));
    long crash = h.clock().nanoTime();
    h.inject(new Fault.Crash("n1"));
    h.runFor(Duration.ofSeconds(10));
    assertEquals(List.of("n2"), h.masters());
    assertTrue(takeOver(h, "n2", crash) > A.toNanos(), "the master-down timer, not the witness");
    assertEquals(0, Objects.requireNonNull(h.election("n2")).witnessStats().probes());
    h.assertInvariants();
  }

  @Test
  void anInjectedResetIsDroppedByTheKeyedConnectionsAndChangesNothing() {
    ClusterHarness h = started(ClusterConfig.of(3));
    h.inject(new Fault.WitnessReset("n1", "n2"));
    h.runFor(Duration.ofSeconds(20));
    assertEquals(List.of("n1"), h.masters());
    assertEquals(2, h.network().witnessResetsDropped());
    assertEquals(new Fault.WitnessReset("n1", "n2"), Fault.parse("witness-reset n1,n2"));
    assertEquals(new Fault.Kill("n1"), Fault.parse("kill n1"));
    h.assertInvariants();
  }

  @Test
  void anUnkeyedResetIsAnsweredByAProbeThatFindsTheMasterAliveAndChangesNothing() {
    ClusterHarness h = started(ClusterConfig.of(3));
    h.network().setWitnessKeyed(false);
    h.inject(new Fault.WitnessReset("n1", "n2"));
    h.runFor(Duration.ofSeconds(20));
    assertEquals(List.of("n1"), h.masters());
    WitnessStats s = Objects.requireNonNull(h.election("n2")).witnessStats();
    assertEquals(1, s.probes());
    assertEquals(0, s.refused());
    h.assertInvariants();
  }

  @Test
  void aWitnessThatIgnoresClosesIsCaughtByW1() {
    ClusterHarness h = started(ClusterConfig.of(3));
    h.network().loseWitnessCloses(); // the planted bug
    h.inject(new Fault.Kill("n1"));
    h.runFor(Duration.ofSeconds(10));
    assertEquals(List.of("n2"), h.masters(), "the master-down timer still takes over");
    List<Violation> v = Invariant.W1.check(h.history());
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).message().contains("kill of master n1"), v.get(0).message());
    assertEquals(List.of(), Invariant.L1.check(h.history()), "within the timer's bound all the same");
  }

  @Test
  void aKilledProcessRestartsOnItsHostAndIsFollowedAgain() {
    ClusterHarness h = started(ClusterConfig.of(3));
    h.inject(new Fault.Kill("n1"));
    h.runFor(Duration.ofSeconds(5));
    h.inject(new Fault.Restart("n1"));
    h.runFor(Duration.ofSeconds(10));
    assertEquals(List.of("n1"), h.masters(), "preempt: n1 is back");
    h.inject(new Fault.Kill("n1"));
    h.runFor(Duration.ofSeconds(10));
    assertEquals(List.of("n2"), h.masters());
    h.assertInvariants();
  }

  /**
   * Found by {@link FailoverProperties}: the master's host crashed and the member came back as
   * master before the backup's timer ran out; the backup's watch of the dead process was never
   * closed (a crashed host says nothing), so it missed the new process's death. It watches the new
   * incarnation now.
   */
  @Test
  void aBackupWatchesAMasterBackFromAHostCrashInItsNewIncarnation() {
    ClusterHarness.replay(-8949179328548745225L, "nodes=2 prio=1,193 preempt=false adv=500ms delay=125us jitter=0ms"
        + " dup=0.01 reorder=0.09 stall-threshold=0.25 rs=1 check=100ms timeout=50ms rise=1 fall=1 on-failure=quiesce"
        + " ; @4125ms crash n2 ; @4250ms restart n2 ; @7250ms kill n2 ; @7375ms restart n2 ; end @15375ms");
  }
}
