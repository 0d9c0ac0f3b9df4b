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

  @Test
  void aKeyedResetInjectedWhileTheMasterLivesIsDroppedAndConcludesNothing() {
    SimulatedLan.Member n1 = settledMaster(200, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    net.injectReset(host(n1), host(n2));
    lan.advance(Duration.ofSeconds(10));
    assertEquals(2, net.droppedResets, "TCP-MD5: both kernels drop a reset without the key");
    assertEquals(List.of("n1"), lan.masters());
    assertEquals(0, n2.election.witnessStats().unannouncedCloses());
    assertEquals(1, n2.election.witnessStats().connections(), "the connection stayed");
  }

  @Test
  void anUnkeyedResetWhileTheMasterLivesIsAnsweredByTheProbeAcceptedAndConcludesNothing() {
    net.keyed = false;
    SimulatedLan.Member n1 = settledMaster(200, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    net.injectReset(host(n1), host(n2));
    lan.advance(Duration.ofSeconds(10));
    assertEquals(List.of("n1"), lan.masters());
    assertTrue(n2.changes.stream().noneMatch(c -> c.to() == Role.MASTER));
    WitnessStats s = n2.election.witnessStats();
    assertEquals(1, s.unannouncedCloses());
    assertEquals(1, s.probes());
    assertEquals(0, s.refused());
    assertEquals(0, s.conclusions());
    assertEquals(2, s.watching(), "it reconnected and watches the master again");
  }

  @Test
  void aMasterWhoseWitnessThreadDiedGivesNoCloseSoTheTimerDecides() {
    SimulatedLan.Member n1 = settledMaster(200, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    java.util.Objects.requireNonNull(n1.witness).threadAlive = false;
    lan.advance(Duration.ofSeconds(10));
    assertEquals(List.of("n1"), lan.masters(), "a dead witness thread alone changes nothing");
    // Then the whole master stands still without its kernel closing anything (a hung process).
    n1.dead = true;
    Duration took = lan.advanceUntil(() -> n2.role() == Role.MASTER, Duration.ofSeconds(5));
    Duration masterDown = VrrpElection.masterDownInterval(100, ElectionFixture.INTERVAL);
    assertTrue(took.compareTo(masterDown.minus(ElectionFixture.INTERVAL)) >= 0, "took " + took);
    assertTrue(n2.changes.get(n2.changes.size() - 1).reason().contains("master-down"));
    assertEquals(0, n2.election.witnessStats().unannouncedCloses());
  }

  @Test
  void aNormalExitSaysGoodbyeSoThePriorityZeroAdvertisementDecides() {
    SimulatedLan.Member n1 = settledMaster(200, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    n1.election.stop(); // the shutdown hook: priority 0 and goodbyes
    java.util.Objects.requireNonNull(n1.witness).close();
    n1.kill(); // then the JVM exits: its kernel closes what is left and refuses probes
    lan.advanceUntil(() -> n2.role() == Role.MASTER, Duration.ofSeconds(2));
    assertTrue(n2.changes.get(n2.changes.size() - 1).reason().contains("priority 0"),
        n2.changes.get(n2.changes.size() - 1).reason());
    WitnessStats s = n2.election.witnessStats();
    assertEquals(1, s.goodbyes());
    assertEquals(0, s.probes());
    assertEquals(0, s.conclusions());
  }

  @Test
  void aHostThatRebootsFastSendsOnlyAnUnkeyedResetWhichIsDroppedSoTheTimerDecides() {
    SimulatedLan.Member n1 = settledMaster(200, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    n1.crashHost();
    lan.advance(Duration.ofMillis(500));
    net.rebootHost(host(n1));
    Duration took = lan.advanceUntil(() -> n2.role() == Role.MASTER, Duration.ofSeconds(5)).plusMillis(500);
    assertEquals(1, net.droppedResets);
    assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0, "took " + took);
    assertTrue(n2.changes.get(n2.changes.size() - 1).reason().contains("master-down"));
    assertEquals(0, n2.election.witnessStats().probes());
  }

  @Test
  void aHostThatCrashesIsSilentAndItsProbesWouldTimeOutSoTheTimerDecides() {
    SimulatedLan.Member n1 = settledMaster(200, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    n1.crashHost();
    Duration took = lan.advanceUntil(() -> n2.role() == Role.MASTER, Duration.ofSeconds(5));
    assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0, "took " + took);
    assertTrue(n2.changes.get(n2.changes.size() - 1).reason().contains("master-down"));
    assertEquals(0, n2.election.witnessStats().conclusions());
  }

  @Test
  void aMasterRestartedWithinMillisecondsIsListeningAgainSoTheProbeIsAcceptedAndNothingIsConcluded() {
    settledMaster(200, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    lan.restart("n1", b -> b.priority(200));
    lan.advance(Duration.ofSeconds(1));
    WitnessStats s = n2.election.witnessStats();
    assertEquals(1, s.unannouncedCloses());
    assertEquals(1, s.probes());
    assertEquals(0, s.refused(), "the new process listens at the witness port");
    assertEquals(0, s.conclusions());
    assertEquals(Role.BACKUP, n2.role());
  }

  @Test
  void aMasterThatClosesWithoutItsGoodbyeIsProbedAcceptedAndNothingIsConcluded() {
    SimulatedLan.Member n1 = settledMaster(200, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    java.util.Objects.requireNonNull(n1.witness).sendsFail = true; // planted: its goodbye cannot be sent
    n1.election.stop();
    lan.advanceUntil(() -> n2.role() == Role.MASTER, Duration.ofSeconds(2));
    assertTrue(n2.changes.get(n2.changes.size() - 1).reason().contains("priority 0"));
    WitnessStats s = n2.election.witnessStats();
    assertEquals(1, s.unannouncedCloses(), "n1 closed without its goodbye");
    assertEquals(1, s.probes());
    assertEquals(0, s.refused(), "its process lives and listens");
    assertEquals(0, s.conclusions());
  }

  @Test
  void aMasterThatLeavesForFaultSaysGoodbye() {
    io.ha4j.api.election.Tracked link = io.ha4j.api.election.Tracked.networkInterface("eth0");
    SimulatedLan.Member n1 = lan.add("n1", b -> b.priority(200).track(link, 0));
    SimulatedLan.Member n2 = lan.add("n2", 100);
    lan.startAll();
    lan.advance(Duration.ofSeconds(10));
    n1.election.setTracked(link, false);
    lan.advanceUntil(() -> n2.role() == Role.MASTER, Duration.ofSeconds(2));
    WitnessStats s = n2.election.witnessStats();
    assertEquals(1, s.goodbyes());
    assertEquals(0, s.probes());
    assertTrue(n2.changes.get(n2.changes.size() - 1).reason().contains("priority 0"));
  }

  @Test
  void backupsMoveTheirWatchToANewMasterAndItsDeathIsWitnessed() {
    SimulatedLan.Member n1 = settledMaster(150, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    SimulatedLan.Member n3 = lan.add("n3", 200);
    n3.election.start();
    lan.advanceUntil(() -> n3.role() == Role.MASTER, Duration.ofSeconds(5));
    lan.advance(Duration.ofSeconds(5));
    assertEquals(0, n2.election.witnessStats().probes(), "n2 closed its watch of n1 itself, or heard its goodbye");
    assertEquals(io.ha4j.api.NodeId.of("n3"), n2.electionWatched());
    assertEquals(io.ha4j.api.NodeId.of("n3"), n1.electionWatched(), "n1, backup now, watches n3 too");
    n3.kill();
    lan.advanceUntil(() -> n1.role() == Role.MASTER, witnessBound(150));
    lan.advance(Duration.ofSeconds(5));
    assertEquals(List.of("n1"), lan.masters(), "n1 (150) went first, n2 (100) heard it");
  }

  @Test
  void aMasterWithoutAWitnessIsNeverAttestedSoItsDeathIsLeftToTheTimerAndReconnectsBackOff() {
    SimulatedLan.Member n1 = lan.add("n1", b -> b.priority(200).witness(false));
    SimulatedLan.Member n2 = lan.add("n2", 100);
    lan.startAll();
    lan.advance(Duration.ofSeconds(20));
    assertEquals(0, java.util.Objects.requireNonNull(n1.witness).listens, "witness off: no endpoint");
    WitnessStats s = n2.election.witnessStats();
    assertEquals(0, s.watching());
    assertTrue(s.connections() > 1 && s.connections() < 35, "bounded backoff: " + s.connections() + " connects");
    n1.kill();
    Duration took = lan.advanceUntil(() -> n2.role() == Role.MASTER, Duration.ofSeconds(5));
    assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0, "took " + took);
    assertEquals(0, n2.election.witnessStats().probes());
  }

  @Test
  void theVrrp3WireFormatHasNoWitness() throws Exception {
    HeartbeatConfig config = HeartbeatConfig.builder().nodeId("n1").key(ElectionFixture.KEY)
        .destination(ElectionFixture.GROUP_ADDRESS)
        .virtualAddress(io.ha4j.api.VirtualAddress.of(InetAddress.getByName("198.51.100.200"), 24, "eth0")).build();
    FakeWitnessNetwork.Process p = net.attach(InetAddress.getByName("198.51.100.77"));
    VrrpElection e = new VrrpElection(config,
        io.ha4j.heartbeat.vrrp.VrrpWireFormat.of(config, InetAddress.getByName("198.51.100.77"), false),
        new CapturingTransport(), p, lan.clock.newScheduler("vrrp"), org.slf4j.LoggerFactory.getLogger("vrrp"));
    e.start();
    lan.advance(Duration.ofSeconds(1));
    assertEquals(0, p.listens);
    assertEquals(WitnessStats.NONE, e.witnessStats());
    e.stop();
  }

  @Test
  void aHostThatRebootedAndIsMasterAgainIsWatchedInItsNewIncarnation() {
    settledMaster(200, 100);
    SimulatedLan.Member n2 = lan.get("n2");
    lan.advance(Duration.ofMillis(250)); // just after an advertisement of n1's: n2's timer runs longest
    lan.get("n1").crashHost();
    SimulatedLan.Member n1 = lan.restart("n1", b -> b.priority(254)); // back before n2's timer ran out
    lan.advanceUntil(() -> n1.role() == Role.MASTER, Duration.ofSeconds(5));
    lan.advance(Duration.ofSeconds(2));
    assertEquals(List.of("n1"), lan.masters());
    assertEquals(2, n2.election.witnessStats().watching(), "the stale watch was replaced");
    n1.kill();
    Duration took = lan.advanceUntil(() -> n2.role() == Role.MASTER, Duration.ofSeconds(5));
    assertTrue(took.compareTo(witnessBound(100)) <= 0, "took " + took);
  }
}
