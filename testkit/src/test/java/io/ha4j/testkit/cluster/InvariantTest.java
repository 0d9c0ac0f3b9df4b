package io.ha4j.testkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.Role;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.table.TableOp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkers on hand-written histories: each invariant fails where it should, and only there. */
class InvariantTest {

  private static final long S = 1_000_000_000L;
  private final ClusterConfig cluster = ClusterConfig.of(2).withAdvertisementInterval(Duration.ofSeconds(1));
  private final long b = new Bounds(S, 100_000, 100_000, 1, 1, 0.25).convergenceNanos();

  private History settled() {
    History h = new History(cluster);
    h.record(new History.RoleChanged(0, "n1", Role.INIT, Role.BACKUP, "started"));
    h.record(new History.RoleChanged(0, "n2", Role.INIT, Role.BACKUP, "started"));
    h.record(new History.RoleChanged(3 * S, "n1", Role.BACKUP, Role.MASTER, "master-down timer expired"));
    h.record(new History.AddressAdded(3 * S, "n1", ClusterConfig.VIP));
    return h;
  }

  private static List<Invariant> violated(History h) {
    return Invariant.checkAll(h).stream().map(Violation::invariant).distinct().toList();
  }

  @Test
  void boundsFollowRfc5798MasterDownInterval() {
    Bounds bounds = Bounds.of(settled());
    // RFC 5798 section 6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256.
    assertEquals(S * 56 / 256, bounds.skewNanos(200));
    assertEquals(3 * S + S * 56 / 256, bounds.masterDownNanos(200));
    assertEquals(b, bounds.convergenceNanos());
  }

  @Test
  void settledClusterViolatesNothing() {
    History h = settled();
    h.end(60 * S);
    assertEquals(List.of(), Invariant.checkAll(h));
  }

  @Test
  void s1NoMasterOwningTheVip() {
    History h = settled();
    h.record(new History.AddressRemoved(20 * S, "n1", ClusterConfig.VIP));
    h.end(60 * S);
    // A master without the VIP past the hold bound is V1 as well (issue 16 item 1).
    assertEquals(List.of(Invariant.S1, Invariant.V1), violated(h));
  }

  @Test
  void s1AndS2AndL2TwoMastersInOneConnectedPartition() {
    History h = settled();
    h.record(new History.RoleChanged(20 * S, "n2", Role.BACKUP, Role.MASTER, "bug"));
    h.record(new History.AddressAdded(20 * S, "n2", ClusterConfig.VIP));
    h.end(60 * S);
    assertEquals(List.of(Invariant.S1, Invariant.S2, Invariant.L2), violated(h));
    Violation s2 = Invariant.S2.check(h).get(0);
    assertEquals(20 * S + b, s2.atNanos());
  }

  @Test
  void partitionedMastersAreNoViolationUntilHealed() {
    History h = settled();
    h.record(new History.FaultApplied(10 * S, new Fault.Partition(List.of(java.util.Set.of("n1"), java.util.Set.of("n2")))));
    h.record(new History.RoleChanged(14 * S, "n2", Role.BACKUP, Role.MASTER, "master-down timer expired"));
    h.record(new History.AddressAdded(14 * S, "n2", ClusterConfig.VIP));
    h.record(new History.FaultApplied(30 * S, new Fault.Heal()));
    h.end(30 * S + b / 2);
    assertEquals(List.of(), Invariant.checkAll(h), "within the bound after the heal");
    h.end(60 * S);
    assertEquals(List.of(Invariant.S1, Invariant.S2, Invariant.L3), violated(h));
  }

  @Test
  void l1NoTakeOverAfterTheMasterCrashed() {
    History h = settled();
    h.record(new History.FaultApplied(20 * S, new Fault.Crash("n1")));
    h.record(new History.AddressRemoved(20 * S, "n1", ClusterConfig.VIP));
    h.end(60 * S);
    List<Invariant> v = violated(h);
    assertTrue(v.contains(Invariant.L1) && v.contains(Invariant.L3), v.toString());
  }

  @Test
  void l1TakeOverInTimeIsFine() {
    History h = settled();
    h.record(new History.FaultApplied(20 * S, new Fault.Crash("n1")));
    h.record(new History.AddressRemoved(20 * S, "n1", ClusterConfig.VIP));
    h.record(new History.RoleChanged(23 * S + S / 4, "n2", Role.BACKUP, Role.MASTER, "master-down timer expired"));
    h.record(new History.AddressAdded(23 * S + S / 4, "n2", ClusterConfig.VIP));
    h.end(60 * S);
    assertEquals(List.of(), Invariant.checkAll(h));
  }

  @Test
  void l1HandOverMustTakeSkewTimeNotTheMasterDownInterval() {
    History h = settled();
    h.record(new History.FaultApplied(20 * S, new Fault.Stop("n1")));
    h.record(new History.RoleChanged(20 * S, "n1", Role.MASTER, Role.INIT, "stopped"));
    h.record(new History.AddressRemoved(20 * S, "n1", ClusterConfig.VIP));
    h.record(new History.RoleChanged(23 * S + S / 4, "n2", Role.BACKUP, Role.MASTER, "master-down timer expired"));
    h.record(new History.AddressAdded(23 * S + S / 4, "n2", ClusterConfig.VIP));
    h.end(60 * S);
    assertEquals(List.of(Invariant.L1), violated(h));
  }

  @Test
  void l3WithPreemptTheHighestPriorityEndsAsMaster() {
    History h = new History(cluster);
    h.record(new History.RoleChanged(0, "n1", Role.INIT, Role.BACKUP, "started"));
    h.record(new History.RoleChanged(0, "n2", Role.INIT, Role.BACKUP, "started"));
    h.record(new History.RoleChanged(3 * S, "n2", Role.BACKUP, Role.MASTER, "master-down timer expired"));
    h.record(new History.AddressAdded(3 * S, "n2", ClusterConfig.VIP));
    h.end(60 * S);
    assertEquals(List.of(Invariant.L3), violated(h));
    History noPreempt = new History(cluster.withPreempt(false));
    h.events().forEach(noPreempt::record);
    noPreempt.end(60 * S);
    assertEquals(List.of(), Invariant.checkAll(noPreempt));
  }

  @Test
  void harmlessBackupStallIsPartOfAStablePeriod() {
    History h = settled();
    h.record(new History.FaultApplied(20 * S, new Fault.Stall("n2", Duration.ofSeconds(10))));
    h.record(new History.StallEnded(30 * S, "n2"));
    h.record(new History.RoleChanged(30 * S, "n2", Role.BACKUP, Role.MASTER, "stale timer"));
    h.end(60 * S);
    assertTrue(violated(h).contains(Invariant.L2), Invariant.checkAll(h).toString());
  }

  @Test
  void lossyPeriodsAreNotStable() {
    History h = settled();
    h.record(new History.FaultApplied(20 * S, new Fault.Loss(0.3)));
    h.record(new History.RoleChanged(30 * S, "n2", Role.BACKUP, Role.MASTER, "adverts lost"));
    h.record(new History.AddressAdded(30 * S, "n2", ClusterConfig.VIP));
    h.record(new History.RoleChanged(31 * S, "n2", Role.MASTER, Role.BACKUP, "higher priority"));
    h.record(new History.AddressRemoved(31 * S, "n2", ClusterConfig.VIP));
    h.end(60 * S);
    assertEquals(List.of(), Invariant.checkAll(h));
  }

  @Test
  void aStallOnAMemberStalledAlreadyIsADisturbance() {
    // The second stall extends the first: the member never ran in between, so no StallEnded at 28 s.
    History h = settled();
    h.record(new History.FaultApplied(20 * S, new Fault.Stall("n1", Duration.ofSeconds(8))));
    h.record(new History.FaultApplied(28 * S, new Fault.Stall("n1", Duration.ofMillis(10))));
    h.record(new History.RoleChanged(28 * S + 5_000_000, "n2", Role.BACKUP, Role.MASTER, "master-down timer expired"));
    h.record(new History.AddressAdded(28 * S + 5_000_000, "n2", ClusterConfig.VIP));
    h.record(new History.StallEnded(28 * S + 10_000_000, "n1"));
    h.record(new History.RoleChanged(28 * S + 10_000_000, "n2", Role.MASTER, Role.BACKUP, "higher priority"));
    h.record(new History.AddressRemoved(28 * S + 10_000_000, "n2", ClusterConfig.VIP));
    h.end(60 * S);
    assertEquals(List.of(), Invariant.checkAll(h));
  }

  @Test
  void h1FailedRealServerKeptAtFullWeightBeyondTheDetectionBound() {
    // The bound of RealServerPool.DEFAULT: fall 2 rounds of 1 s and a 500 ms probe timeout.
    long bound = Bounds.of(settled()).detectionNanos(cluster.realServers());
    assertEquals(2 * S + S / 2 + 3_000_000, bound);
    RealServer rs1 = RealServer.of(cluster.realServers().address("rs1"), RealServerPool.PORT);
    ServiceKey web = ServiceKey.of(Protocol.TCP, ClusterConfig.VIP.address(), RealServerPool.PORT);
    for (boolean late : List.of(false, true)) {
      History h = settled();
      h.record(new History.TableChanged(3 * S, "n1", "add", List.of(new TableOp.AddRealServer(web, rs1))));
      h.record(new History.TableChanged(3 * S, "n2", "add", List.of(new TableOp.AddRealServer(web, rs1))));
      h.record(new History.FaultApplied(10 * S, new Fault.RealServerDown("rs1")));
      long out = 10 * S + bound + (late ? 1 : 0);
      h.record(new History.TableChanged(out, "n1", "quiesce", List.of(new TableOp.UpdateRealServer(web, rs1.withWeight(0)))));
      h.record(new History.TableChanged(out, "n2", "remove", List.of(new TableOp.DeleteRealServer(web, rs1.endpoint()))));
      h.end(60 * S);
      assertEquals(late ? List.of(Invariant.H1) : List.of(), violated(h), "late " + late);
      if (late) {
        assertEquals(2, Invariant.H1.check(h).size(), "both members' tables, the master's and the backup's");
      }
    }
  }
}
