package io.ha4j.core.reconcile;

import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.api.reconcile.Quorum;
import static io.ha4j.api.health.HealthState.DOWN;
import static io.ha4j.api.health.HealthState.UNKNOWN;
import static io.ha4j.api.health.HealthState.UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualService;
import io.ha4j.api.health.Maintenance;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableException;
import io.ha4j.api.table.TableOp;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

  private static final VirtualService WEB = VirtualService.of(ServiceKey.of(Protocol.TCP, ip("198.51.100.1"), 80), "wlc");
  private static final RealServer A = RealServer.of(ip("203.0.113.11"), 80).withWeight(3);
  private static final RealServer B = RealServer.of(ip("203.0.113.12"), 80).withWeight(2);
  private static final RealServer SORRY = RealServer.of(ip("203.0.113.99"), 80).withForwarding(ForwardingMethod.NAT);

  private final HealthBoard health = new HealthBoard();
  private final List<QuorumChange> quorumEvents = new ArrayList<>();

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private Reconciler reconciler(InMemoryTable table, ReconcileOptions options) {
    return new Reconciler(table, health, options, quorumEvents::add);
  }

  private static List<RealServer> sixOfWeightOne() {
    List<RealServer> pool = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      pool.add(RealServer.of(ip("203.0.113." + i), 80));
    }
    return pool;
  }

  /** The first {@code up} servers of {@code pool} up, the others down. */
  private void setUp(List<RealServer> pool, int up) {
    for (int i = 0; i < pool.size(); i++) {
      health.set(pool.get(i), i < up ? UP : DOWN);
    }
  }

  /** The real servers of {@code service} in the table, by endpoint. */
  private static Map<RealServer.Endpoint, RealServer> dests(InMemoryTable table, VirtualService service) {
    return table.read().stream()
        .filter(e -> e.service().key().equals(service.key()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no service " + service.key()))
        .realServers().stream()
        .collect(Collectors.toMap(RealServer::endpoint, rs -> rs));
  }

  @Test
  void quiescentKeepsDownServerWithWeightZero() {
    // ldirectord(8) quiescent = yes; keepalived.conf(5) inhibit_on_failure: weight 0, not removed
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A, B)).withFailureMode(FailureMode.QUIESCE));
    health.set(A, UP).set(B, UP);
    assertTrue(r.reconcile(desired).ok());

    health.set(A, DOWN);
    var report = r.reconcile(desired);

    assertEquals(List.of(new TableOp.UpdateRealServer(WEB.key(), A.withWeight(0))), report.ops());
    assertEquals(0, dests(table, WEB).get(A.endpoint()).weight());
    health.set(A, UP);
    assertEquals(List.of(new TableOp.UpdateRealServer(WEB.key(), A)), r.reconcile(desired).ops());
  }

  @Test
  void removalTakesDownServerOutAndBackInWhenUp() {
    // ldirectord(8) quiescent = no, keepalived's default without inhibit_on_failure: removed while down
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A, B)));
    health.set(A, UP).set(B, UP);
    r.reconcile(desired);

    health.set(B, DOWN);
    assertEquals(List.of(new TableOp.DeleteRealServer(WEB.key(), B.endpoint())), r.reconcile(desired).ops());
    assertEquals(Set.of(A.endpoint()), dests(table, WEB).keySet());

    health.set(B, UP);
    assertEquals(List.of(new TableOp.AddRealServer(WEB.key(), B)), r.reconcile(desired).ops());
    assertEquals(Set.of(A.endpoint(), B.endpoint()), dests(table, WEB).keySet());
  }

  @Test
  void sorryServerIsInOnlyWhileEveryRealServerIsDown() {
    // keepalived.conf(5) sorry_server; ldirectord(8) fallback: used when all real servers are down
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A, B)).withSorryServer(SORRY));
    health.set(A, UP).set(B, DOWN);
    r.reconcile(desired);
    assertEquals(Set.of(A.endpoint()), dests(table, WEB).keySet());

    health.set(A, DOWN);
    var in = r.reconcile(desired);
    // the sorry server goes in before the last real server leaves: never a moment without destination
    assertEquals(List.of(
        new TableOp.AddRealServer(WEB.key(), SORRY),
        new TableOp.DeleteRealServer(WEB.key(), A.endpoint())), in.ops());
    assertEquals(Map.of(SORRY.endpoint(), SORRY), dests(table, WEB));

    health.set(B, UP);
    var out = r.reconcile(desired);
    assertEquals(List.of(
        new TableOp.AddRealServer(WEB.key(), B),
        new TableOp.DeleteRealServer(WEB.key(), SORRY.endpoint())), out.ops());
    assertEquals(Set.of(B.endpoint()), dests(table, WEB).keySet());
  }

  @Test
  void aFailedSorryServerAddKeepsTheLastRealServerUntilItGoesIn() {
    // issue 16 item 11: the kernel refuses the sorry server (ENOMEM); its removal of A must wait
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A, B)).withSorryServer(SORRY));
    health.set(A, UP).set(B, DOWN);
    r.reconcile(desired);
    health.set(A, DOWN);
    table.injectFaults((i, op) -> op instanceof TableOp.AddRealServer a && a.realServer().equals(SORRY)
        ? new TableException(TableException.Reason.OTHER, 12, "injected ENOMEM", null) : null);

    var failed = r.reconcile(desired);
    assertEquals(Set.of(A.endpoint()), dests(table, WEB).keySet(), "A stays while the sorry server is missing");
    assertEquals(2, failed.result().failures().size(), failed.result().failures().toString());
    assertEquals(new TableOp.DeleteRealServer(WEB.key(), A.endpoint()), failed.result().failures().get(1).op());

    table.injectFaults((i, op) -> null);
    assertTrue(r.reconcile(desired).ok());
    assertEquals(Map.of(SORRY.endpoint(), SORRY), dests(table, WEB));
  }

  @Test
  void sorryServerWithQuiescentPoolKeepsRealServersAtWeightZero() {
    // keepalived.conf(5) sorry_server + inhibit_on_failure: the failed servers stay, quiesced
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A, B))
        .withSorryServer(SORRY).withFailureMode(FailureMode.QUIESCE));
    health.set(A, DOWN).set(B, DOWN);
    r.reconcile(desired);
    assertEquals(Map.of(A.endpoint(), A.withWeight(0), B.endpoint(), B.withWeight(0), SORRY.endpoint(), SORRY),
        dests(table, WEB));
  }

  @Test
  void quorumWithHysteresisDoesNotFlapAtTheBoundary() {
    // keepalived.conf(5) quorum/hysteresis: lost below quorum - hysteresis, regained at quorum + hysteresis
    List<RealServer> pool = sixOfWeightOne();
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, pool).withSorryServer(SORRY).withQuorum(new Quorum(4, 1)));

    // live weight per pass, and whether the service has quorum afterwards
    int[] live = {6, 3, 4, 3, 2, 3, 4, 3, 4, 5, 4, 3, 2};
    boolean[] quorate = {true, true, true, true, false, false, false, false, false, true, true, true, false};
    for (int pass = 0; pass < live.length; pass++) {
      setUp(pool, live[pass]);
      assertTrue(r.reconcile(desired).ok());
      assertEquals(quorate[pass], !r.quorumLost().contains(WEB.key()), "pass " + pass + " live " + live[pass]);
      assertEquals(!quorate[pass], dests(table, WEB).containsKey(SORRY.endpoint()), "sorry server, pass " + pass);
    }
    assertEquals(List.of(
            new QuorumChange(WEB.key(), false, 2, new Quorum(4, 1)),
            new QuorumChange(WEB.key(), true, 5, new Quorum(4, 1)),
            new QuorumChange(WEB.key(), false, 2, new Quorum(4, 1))),
        quorumEvents);
  }

  @Test
  void quorumLostWithoutSorryServerOnlyNotifies() {
    // keepalived.conf(5): without sorry_server, losing quorum runs quorum_down and leaves the pool be
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A, B)).withQuorum(new Quorum(5, 0)));
    health.set(A, UP).set(B, UP);
    r.reconcile(desired);
    health.set(B, DOWN);
    var report = r.reconcile(desired);
    assertEquals(List.of(new TableOp.DeleteRealServer(WEB.key(), B.endpoint())), report.ops());
    assertEquals(List.of(new QuorumChange(WEB.key(), false, 3, new Quorum(5, 0))), quorumEvents);
    assertEquals(Set.of(A.endpoint()), dests(table, WEB).keySet());
  }

  @Test
  void quorumIsLostAtZeroLiveWeightEvenWhenHysteresisCoversIt() {
    // keepalived ipwrapper.c update_quorum_state: "!weight_sum || weight_sum < threshold"
    var q = new Quorum(2, 3);
    assertTrue(q.holds(true, 1));
    assertFalse(q.holds(true, 0));
    assertFalse(q.holds(false, 4));
    assertTrue(q.holds(false, 5));
  }

  @Test
  void drainKeepsServerAtWeightZeroAndDisableTakesItOut() {
    // ldirectord(8)/keepalived: weight 0 quiesces (existing connections continue); removal drops it
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A, B)));
    health.set(A, UP, Maintenance.DRAIN).set(B, UP, Maintenance.DISABLE);
    r.reconcile(desired);
    assertEquals(Map.of(A.endpoint(), A.withWeight(0)), dests(table, WEB));

    // maintenance wins over health: a drained server that fails stays drained, not removed
    health.set(A, DOWN, Maintenance.DRAIN);
    assertTrue(r.reconcile(desired).ops().isEmpty());

    health.set(A, UP).set(B, UP);
    r.reconcile(desired);
    assertEquals(Map.of(A.endpoint(), A, B.endpoint(), B), dests(table, WEB));
  }

  @Test
  void drainedPoolDoesNotCountTowardsQuorum() {
    // keepalived weigh_live_realservers sums the weights of live servers; a drained server weighs 0
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A)).withSorryServer(SORRY));
    health.set(A, UP, Maintenance.DRAIN);
    r.reconcile(desired);
    assertEquals(Set.of(A.endpoint(), SORRY.endpoint()), dests(table, WEB).keySet());
  }

  @Test
  void restartOverMatchingTableIssuesNoOpsAndLeavesForeignServicesAlone() {
    // design.md rule 6 / ldirectord: a restart with unchanged configuration must not drop connections
    var foreign = new TableEntry(
        VirtualService.of(ServiceKey.fwmark(7, AddressFamily.INET), "rr"),
        List.of(RealServer.of(ip("203.0.113.50"), 0)));
    var existing = new TableEntry(WEB, List.of(A, B.withWeight(0)));
    var table = new InMemoryTable(List.of(existing, foreign));
    health.set(A, UP).set(B, DOWN);
    var desired = List.of(DesiredService.of(WEB, List.of(A, B)).withFailureMode(FailureMode.QUIESCE));

    var report = reconciler(table, ReconcileOptions.DEFAULTS).reconcile(desired);

    assertTrue(report.ops().isEmpty(), report.ops().toString());
    assertEquals(List.of(existing, foreign), table.read());
    assertTrue(table.applied().isEmpty());
  }

  @Test
  void restartInsideTheHysteresisBandAdoptsEitherQuorumState() {
    // keepalived.conf(5) quorum/hysteresis: live weight 4 with quorum 4 +/- 1 keeps whichever state
    // the previous run had; the table tells which, and a restart must not change it (design.md rule 6)
    List<RealServer> pool = sixOfWeightOne();
    setUp(pool, 4);
    var desired = List.of(DesiredService.of(WEB, pool).withSorryServer(SORRY).withQuorum(new Quorum(4, 1)));

    var lostTable = new InMemoryTable(List.of(new TableEntry(WEB, List.of(SORRY))));
    var afterLoss = reconciler(lostTable, ReconcileOptions.DEFAULTS);
    assertEquals(List.of(), afterLoss.reconcile(desired).ops());
    assertEquals(Set.of(WEB.key()), afterLoss.quorumLost());

    var upTable = new InMemoryTable(List.of(new TableEntry(WEB, pool.subList(0, 4))));
    var afterUp = reconciler(upTable, ReconcileOptions.DEFAULTS);
    assertEquals(List.of(), afterUp.reconcile(desired).ops());
    assertEquals(Set.of(), afterUp.quorumLost());
    // keepalived: "Starting with quorum down" notifies; starting with quorum is the listener's default
    assertEquals(List.of(new QuorumChange(WEB.key(), false, 4, new Quorum(4, 1))), quorumEvents);
  }

  @Test
  void aFreshStartNeedsQuorumPlusHysteresis() {
    // keepalived ipwrapper.c set_quorum_states: quorum_state_up = live weight >= quorum + hysteresis
    List<RealServer> pool = sixOfWeightOne();
    setUp(pool, 4);
    var desired = List.of(DesiredService.of(WEB, pool).withSorryServer(SORRY).withQuorum(new Quorum(4, 1)));
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    r.reconcile(desired);
    assertEquals(List.of(new TableEntry(WEB, List.of(SORRY))), table.read());
    assertEquals(List.of(new QuorumChange(WEB.key(), false, 4, new Quorum(4, 1))), quorumEvents);
    health.set(pool.get(4), UP);
    r.reconcile(desired);
    assertEquals(Set.copyOf(pool.subList(0, 5)), Set.copyOf(table.read().get(0).realServers()));
  }

  @Test
  void unknownCountsAsUpUnlessAlpha() {
    // keepalived.conf(5) alpha: "start with all real servers dead"; without it they start alive
    var desired = List.of(DesiredService.of(WEB, List.of(A)).withFailureMode(FailureMode.QUIESCE));
    health.set(A, UNKNOWN);
    var plain = Reconciler.plan(desired, List.of(), health, ReconcileOptions.DEFAULTS);
    assertEquals(List.of(new TableEntry(WEB, List.of(A))), plain.target());
    var alpha = Reconciler.plan(desired, List.of(), health, ReconcileOptions.DEFAULTS.withAlpha(true));
    assertEquals(List.of(new TableEntry(WEB, List.of(A.withWeight(0)))), alpha.target());
    assertEquals(Set.of(WEB.key()), alpha.quorumLost());
  }

  @Test
  void removeUnmanagedDeletesOnlyServicesThatAreNotDesired() {
    // the opt-in for a reconciler that owns the whole table (ipvsadm -D for each foreign service)
    var foreignKey = ServiceKey.of(Protocol.UDP, ip("2001:db8::53"), 53);
    var table = new InMemoryTable(List.of(new TableEntry(VirtualService.of(foreignKey, "rr"), List.of())));
    health.set(A, UP);
    var r = reconciler(table, ReconcileOptions.DEFAULTS.withRemoveUnmanaged(true));
    var report = r.reconcile(List.of(DesiredService.of(WEB, List.of(A))));
    assertEquals(List.of(
        new TableOp.AddService(WEB),
        new TableOp.AddRealServer(WEB.key(), A),
        new TableOp.DeleteService(foreignKey)), report.ops());
    assertEquals(List.of(new TableEntry(WEB, List.of(A))), table.read());
  }

  @Test
  void mutableFieldsChangeInPlaceNeverByDeleteAndAdd() {
    // ipvsadm(8) -E edits scheduler/flags/persistence, -e edits weight/forwarding/thresholds
    var table = new InMemoryTable(List.of(new TableEntry(WEB, List.of(A, B))));
    health.set(A, UP).set(B, UP);
    var persistent = WEB.withScheduler("sh").withPersistence(300, 24);
    var tunnelled = B.withForwarding(ForwardingMethod.TUN).withThresholds(100, 10);
    var report = reconciler(table, ReconcileOptions.DEFAULTS)
        .reconcile(List.of(DesiredService.of(persistent, List.of(A, tunnelled))));
    assertEquals(List.of(
        new TableOp.UpdateService(persistent),
        new TableOp.UpdateRealServer(WEB.key(), tunnelled)), report.ops());
    assertEquals(List.of(new TableEntry(persistent, List.of(A, tunnelled))), table.read());
  }

  @Test
  void failedOpsAreReportedAndPlannedAgainNextPass() {
    // a kernel refusal (here ENOENT for an unknown scheduler module) must not throw out of a pass
    var table = new InMemoryTable(List.of());
    health.set(A, UP);
    table.injectFaults((i, op) -> op instanceof TableOp.AddService
        ? new TableException(TableException.Reason.NOT_FOUND, 2, "scheduler not loaded", null) : null);
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A)));

    var first = r.reconcile(desired);
    assertFalse(first.ok());
    assertEquals(2, first.result().failures().size()); // the add and, for want of a service, its real server (ESRCH)
    assertEquals(TableException.Reason.NO_SUCH_SERVICE, first.result().failures().get(1).error().reason());

    table.injectFaults((i, op) -> null);
    var second = r.reconcile(desired);
    assertTrue(second.ok());
    assertEquals(first.ops(), second.ops());
    assertTrue(r.reconcile(desired).ops().isEmpty());
  }

  @Test
  void unreachableTableIsReportedAndKeepsQuorumState() {
    // ldirectord keeps running when ipvsadm fails; a pass that cannot read the table decides nothing
    var table = new InMemoryTable(List.of());
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A)));
    health.set(A, DOWN);
    table.unreachable(true);
    var report = r.reconcile(desired);
    assertNotNull(report.error());
    assertFalse(report.ok());
    assertTrue(r.quorumLost().isEmpty());
    assertTrue(quorumEvents.isEmpty());
    table.unreachable(false);
    assertTrue(r.reconcile(desired).ok());
    assertEquals(Set.of(WEB.key()), r.quorumLost());
  }

  @Test
  void tableLostDuringApplyIsReportedAndRepairedNextPass() {
    // LoadBalancerTable#apply: throws TableException when the table cannot be reached at all
    var table = new InMemoryTable(List.of());
    health.set(A, UP);
    var r = reconciler(table, ReconcileOptions.DEFAULTS);
    var desired = List.of(DesiredService.of(WEB, List.of(A)));
    table.applyUnreachable(true);
    var report = r.reconcile(desired);
    assertNotNull(report.error());
    assertEquals(2, report.ops().size());
    table.applyUnreachable(false);
    assertEquals(report.ops(), r.reconcile(desired).ops());
    assertEquals(List.of(new TableEntry(WEB, List.of(A))), table.read());
  }

  @Test
  void aFailingQuorumListenerDoesNotStopThePassOrOtherNotifications() {
    // keepalived runs notify_down per virtual server; one failing script does not block the others
    var other = VirtualService.of(ServiceKey.of(Protocol.SCTP, ip("2001:db8::7"), 3868), "rr");
    var c = RealServer.of(ip("2001:db8::70"), 3868);
    health.set(A, DOWN).set(c, DOWN);
    List<ServiceKey> told = new ArrayList<>();
    var table = new InMemoryTable(List.of());
    var r = new Reconciler(table, health, ReconcileOptions.DEFAULTS, change -> {
      told.add(change.service());
      throw new IllegalStateException("listener bug");
    });
    var report = r.reconcile(List.of(DesiredService.of(WEB, List.of(A)), DesiredService.of(other, List.of(c))));
    assertTrue(report.ok());
    assertEquals(List.of(WEB.key(), other.key()), told);
  }

  @Test
  void desiredModelRejectsAmbiguousConfiguration() {
    // ip_vs_ctl.c: one destination per address:port in a service, one service per key (EEXIST)
    var dup = assertThrows(IllegalArgumentException.class, () -> DesiredService.of(WEB, List.of(A, A.withWeight(9))));
    assertTrue(dup.getMessage().contains("203.0.113.11:80"), dup.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DesiredService.of(WEB, List.of(A)).withSorryServer(A));
    var twice = List.of(DesiredService.of(WEB, List.of(A)), DesiredService.of(WEB.withScheduler("rr"), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> Reconciler.plan(twice, List.of(), health, ReconcileOptions.DEFAULTS));
    var q = assertThrows(IllegalArgumentException.class, () -> new Quorum(0, 0));
    assertTrue(q.getMessage().contains("quorum") && q.getMessage().contains("0"), q.getMessage());
  }
}
