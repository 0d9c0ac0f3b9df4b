package io.ha4j.core.reconcile;

import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.api.reconcile.HealthLookup;
import io.ha4j.api.reconcile.RealServerStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.health.HealthState;
import io.ha4j.api.health.Maintenance;
import io.ha4j.core.reconcile.ReconcileArbitraries.SeededHealth;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableException;
import io.ha4j.api.table.TableOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the reconciler over random desired tables, actual tables and health. The
 * in-memory table refuses invalid ops with the kernel's errno, so {@code report.ok()} after a pass
 * proves the ops were valid in the order issued.
 */
class ReconcilerProperties {

  /** A random starting point: what is desired, what the table holds, how the servers are. */
  record Case(
      List<DesiredService> desired, List<TableEntry> actual, SeededHealth health, ReconcileOptions options) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<ReconcileOptions> options =
        Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false)).as(ReconcileOptions::new);
    return Combinators.combine(
            ReconcileArbitraries.desiredTable(),
            ReconcileArbitraries.health(),
            options,
            Arbitraries.integers().between(0, 99).list().ofMaxSize(40),
            ReconcileArbitraries.foreignTable())
        .as((desired, health, opts, script, foreign) -> {
          List<TableEntry> target = Reconciler.plan(desired, List.of(), health, opts).target();
          return new Case(desired, ReconcileArbitraries.nearTable(desired, target, script, foreign), health, opts);
        });
  }

  private static Set<ServiceKey> keys(List<DesiredService> desired) {
    return desired.stream().map(d -> d.service().key()).collect(Collectors.toSet());
  }

  private static Map<ServiceKey, TableEntry> byKey(List<TableEntry> entries) {
    Map<ServiceKey, TableEntry> m = new HashMap<>();
    for (TableEntry e : entries) {
      m.put(e.service().key(), e);
    }
    return m;
  }

  private static Map<RealServer.Endpoint, RealServer> dests(TableEntry e) {
    return e.realServers().stream().collect(Collectors.toMap(RealServer::endpoint, rs -> rs));
  }

  /** Compares entries the way the kernel does: real servers as a set, not a list. */
  private static boolean same(TableEntry a, TableEntry b) {
    return a.service().equals(b.service()) && dests(a).equals(dests(b));
  }

  @Property(tries = 400)
  void afterApplyTheManagedTableIsTheTargetAndTheRestIsUntouched(@ForAll("cases") Case c) {
    var table = new InMemoryTable(c.actual());
    var report = new Reconciler(table, c.health(), c.options(), QuorumListener.ignore()).reconcile(c.desired());

    assertTrue(report.ok(), () -> "ops invalid in order: " + report.result().failures());
    for (TableOp op : report.ops()) {
      Statistics.label("op").collect(op.getClass().getSimpleName());
    }
    Statistics.label("shared keys").collect(
        c.actual().stream().filter(e -> keys(c.desired()).contains(e.service().key())).count());
    Statistics.label("quorum lost").collect(!report.plan().quorumLost().isEmpty());
    Map<ServiceKey, TableEntry> after = byKey(table.read());
    for (TableEntry want : report.plan().target()) {
      TableEntry got = after.get(want.service().key());
      assertNotNull(got, "missing " + want.service().key());
      assertTrue(same(want, got), () -> "want " + want + " got " + got);
    }
    Set<ServiceKey> managed = keys(c.desired());
    for (TableEntry before : c.actual()) {
      ServiceKey key = before.service().key();
      if (managed.contains(key)) {
        continue;
      }
      if (c.options().removeUnmanaged()) {
        assertFalse(after.containsKey(key), "unmanaged " + key + " survived removeUnmanaged");
      } else {
        assertEquals(before, after.get(key), "unmanaged service changed");
      }
    }
    assertEquals(managed.size() + (c.options().removeUnmanaged() ? 0 : c.actual().stream()
        .filter(e -> !managed.contains(e.service().key())).count()), after.size());
  }

  @Property(tries = 300)
  void aSecondPassIssuesNoOps(@ForAll("cases") Case c) {
    var table = new InMemoryTable(c.actual());
    var r = new Reconciler(table, c.health(), c.options(), QuorumListener.ignore());
    r.reconcile(c.desired());
    int applied = table.applied().size();
    var again = r.reconcile(c.desired());
    assertEquals(List.of(), again.ops());
    assertEquals(applied, table.applied().size());
  }

  @Property(tries = 300)
  void aRestartOverASettledTableIssuesNoOpsAndAdoptsQuorum(@ForAll("cases") Case c) {
    // design.md rule 6: a restart with an unchanged configuration adopts the table without a change
    var table = new InMemoryTable(c.actual());
    var first = new Reconciler(table, c.health(), c.options(), QuorumListener.ignore());
    first.reconcile(c.desired());
    List<QuorumChange> events = new ArrayList<>();
    var restarted = new Reconciler(table, c.health(), c.options(), events::add);
    assertEquals(List.of(), restarted.reconcile(c.desired()).ops());
    Set<ServiceKey> withSorry = c.desired().stream().filter(d -> d.sorryServer() != null)
        .map(d -> d.service().key()).collect(Collectors.toSet());
    Set<ServiceKey> expected = new HashSet<>(first.quorumLost());
    expected.retainAll(withSorry);
    Set<ServiceKey> adopted = new HashSet<>(restarted.quorumLost());
    adopted.retainAll(withSorry);
    assertEquals(expected, adopted);
  }

  @Property(tries = 400)
  void everyOpChangesSomethingThatDidNotMatchAndNothingTwice(@ForAll("cases") Case c) {
    Plan plan = Reconciler.plan(c.desired(), c.actual(), c.health(), c.options());
    Map<ServiceKey, TableEntry> before = byKey(c.actual());
    Map<ServiceKey, TableEntry> target = byKey(plan.target());
    Set<Object> touched = new HashSet<>();
    for (TableOp op : plan.ops()) {
      ServiceKey key = op.serviceKey();
      TableEntry had = before.get(key);
      TableEntry want = target.get(key);
      if (had != null && want != null) {
        assertFalse(same(had, want), () -> "op " + op + " touches a matching entry");
      }
      if (op instanceof TableOp.AddService) {
        assertNull(had, "adds an existing service");
        assertTrue(touched.add(key));
      } else if (op instanceof TableOp.UpdateService u) {
        assertNotEquals(had.service(), u.service());
        assertTrue(touched.add(key));
      } else if (op instanceof TableOp.DeleteService) {
        assertNull(want, "deletes a desired service");
        assertTrue(c.options().removeUnmanaged(), "deletes an unmanaged service by default");
        assertTrue(touched.add(key));
      } else if (op instanceof TableOp.AddRealServer a) {
        assertTrue(had == null || !dests(had).containsKey(a.realServer().endpoint()), "adds an existing server");
        assertTrue(touched.add(List.of(key, a.realServer().endpoint())));
      } else if (op instanceof TableOp.UpdateRealServer u) {
        RealServer old = dests(had).get(u.realServer().endpoint());
        assertNotNull(old, "updates a missing server");
        assertNotEquals(old, u.realServer(), "rewrites a matching server");
        assertTrue(touched.add(List.of(key, u.realServer().endpoint())));
      } else if (op instanceof TableOp.DeleteRealServer d) {
        assertFalse(dests(want).containsKey(d.endpoint()), "deletes a wanted server");
        assertTrue(touched.add(List.of(key, d.endpoint())));
      }
    }
  }

  @Property(tries = 300)
  void planIsPureAndTheTargetIsAFixedPoint(@ForAll("cases") Case c, @ForAll("quorumIndexes") Set<Integer> quorumIndexes) {
    // index i of the desired list: 0..3 had quorum, 4..7 had lost it, others are seen first now
    Map<ServiceKey, Boolean> before = new HashMap<>();
    for (int i : quorumIndexes) {
      if (i % 4 < c.desired().size()) {
        before.put(c.desired().get(i % 4).service().key(), i < 4);
      }
    }
    Plan first = Reconciler.plan(c.desired(), c.actual(), c.health(), before, c.options());
    assertEquals(first, Reconciler.plan(c.desired(), c.actual(), c.health(), before, c.options()));
    assertEquals(keys(c.desired()), first.quorum().keySet());
    Plan settled = Reconciler.plan(c.desired(), first.target(), c.health(), first.quorum(), c.options());
    assertEquals(List.of(), settled.ops());
    assertEquals(first.target(), settled.target());
    assertEquals(first.quorum(), settled.quorum());
    assertEquals(List.of(), settled.quorumChanges());
  }

  @Provide
  Arbitrary<Set<Integer>> quorumIndexes() {
    return Arbitraries.integers().between(0, 7).set();
  }

  @Property(tries = 300)
  void targetFollowsHealthMaintenanceAndQuorum(@ForAll("cases") Case c) {
    // ldirectord(8) quiescent, keepalived.conf(5) inhibit_on_failure / sorry_server / alpha
    Plan plan = Reconciler.plan(c.desired(), c.actual(), c.health(), c.options());
    for (int i = 0; i < c.desired().size(); i++) {
      DesiredService d = c.desired().get(i);
      ServiceKey key = d.service().key();
      Map<RealServer.Endpoint, RealServer> got = dests(plan.target().get(i));
      boolean lost = plan.quorumLost().contains(key);
      for (RealServer rs : d.realServers()) {
        RealServerStatus s = c.health().statusOf(key, rs.endpoint());
        RealServer placed = got.get(rs.endpoint());
        boolean up = s.health() == HealthState.UP || (s.health() == HealthState.UNKNOWN && !c.options().alpha());
        boolean serving = s.maintenance() == Maintenance.NONE && up && !(lost && d.sorryServer() != null);
        boolean removedAsFailed = !serving && s.maintenance() == Maintenance.NONE
            && d.failureMode() == FailureMode.REMOVE;
        if (s.maintenance() == Maintenance.DISABLE || removedAsFailed) {
          assertNull(placed, rs.endpoint() + " should be out: " + s);
        } else {
          assertEquals(serving ? rs : rs.withWeight(0), placed, rs.endpoint() + " " + s);
        }
      }
      if (d.sorryServer() != null) {
        assertEquals(lost ? d.sorryServer() : null, got.get(d.sorryServer().endpoint()), "sorry server");
      }
      int expected = d.realServers().size() + (d.sorryServer() != null ? 1 : 0);
      assertTrue(got.size() <= expected);
    }
  }

  @Property(tries = 200)
  void failedOpsAreReportedNotThrownAndRepairedByTheNextPass(
      @ForAll("cases") Case c, @ForAll("failing") Set<Integer> failing) {
    // The faults hit ops of the plan by their place in it (a pass may apply them in two batches).
    Plan expected = Reconciler.plan(c.desired(), c.actual(), c.health(), c.options());
    Set<TableOp> failingOps = new HashSet<>();
    Set<Integer> injected = new HashSet<>();
    for (int i : failing) {
      if (i < expected.ops().size()) {
        failingOps.add(expected.ops().get(i));
        injected.add(i);
      }
    }
    var table = new InMemoryTable(c.actual());
    table.injectFaults((i, op) -> failingOps.contains(op)
        ? new TableException(TableException.Reason.OVERRUN, 105, "injected ENOBUFS", null) : null);
    var r = new Reconciler(table, c.health(), c.options(), QuorumListener.ignore());
    var first = r.reconcile(c.desired());
    assertEquals(expected.ops(), first.ops());
    for (ApplyResult.Failure f : first.result().failures()) {
      assertEquals(first.ops().get(f.index()), f.op());
    }
    assertTrue(first.result().failures().stream().map(ApplyResult.Failure::index).collect(Collectors.toSet())
        .containsAll(injected));

    table.injectFaults((i, op) -> null);
    var second = r.reconcile(c.desired());
    assertTrue(second.ok(), () -> second.result().failures().toString());
    assertEquals(List.of(), r.reconcile(c.desired()).ops());
    Map<ServiceKey, TableEntry> after = byKey(table.read());
    for (TableEntry want : second.plan().target()) {
      assertTrue(same(want, after.get(want.service().key())));
    }
  }

  @Property(tries = 400)
  void aFailedOpNeverLeavesAServiceWithoutALiveDestination(
      @ForAll("cases") Case c, @ForAll("failing") Set<Integer> failing, @ForAll boolean failEveryAdd) {
    // issue 16 item 11: a failed sorry-server add must not go with the removal of the live servers
    Plan expected = Reconciler.plan(c.desired(), c.actual(), c.health(), c.options());
    Set<TableOp> failingOps = new HashSet<>();
    for (int i : failing) {
      if (i < expected.ops().size()) {
        failingOps.add(expected.ops().get(i));
      }
    }
    var table = new InMemoryTable(c.actual());
    table.injectFaults((i, op) -> failingOps.contains(op) || (failEveryAdd && op instanceof TableOp.AddRealServer)
        ? new TableException(TableException.Reason.OVERRUN, 105, "injected ENOBUFS", null) : null);
    var report = new Reconciler(table, c.health(), c.options(), QuorumListener.ignore()).reconcile(c.desired());
    Map<ServiceKey, TableEntry> before = byKey(c.actual());
    Map<ServiceKey, TableEntry> after = byKey(table.read());
    for (TableEntry want : report.plan().target()) {
      ServiceKey key = want.service().key();
      boolean liveBefore = before.containsKey(key) && live(before.get(key));
      Statistics.label("live before, live wanted").collect(liveBefore && live(want));
      if (liveBefore && live(want)) {
        assertTrue(live(after.get(key)), () -> key + " left without a live destination: before " + before.get(key)
            + ", after " + after.get(key) + ", failures " + report.result().failures());
      }
    }
  }

  private static boolean live(TableEntry e) {
    return e.realServers().stream().anyMatch(rs -> rs.weight() > 0);
  }

  @Provide
  Arbitrary<Set<Integer>> failing() {
    return Arbitraries.integers().between(0, 12).set().ofMaxSize(4);
  }

  @Property(tries = 150)
  void overManyPassesTheSorryServerIsInExactlyWhileQuorumIsLost(
      @ForAll("cases") Case c, @ForAll("healthRounds") List<SeededHealth> rounds) {
    // keepalived.conf(5) sorry_server, quorum, hysteresis: quorum_up/quorum_down with every change
    var table = new InMemoryTable(c.actual());
    List<QuorumChange> events = new ArrayList<>();
    var health = new Object() {
      HealthLookup now = c.health();
    };
    var r = new Reconciler(table, (k, e) -> health.now.statusOf(k, e), c.options(), events::add);
    Map<ServiceKey, Boolean> before = Map.of(); // a first-seen service is reported only if it starts without quorum
    for (SeededHealth h : rounds) {
      health.now = h;
      events.clear();
      var report = r.reconcile(c.desired());
      assertTrue(report.ok());
      Map<ServiceKey, TableEntry> after = byKey(table.read());
      for (DesiredService d : c.desired()) {
        ServiceKey key = d.service().key();
        boolean nowLost = r.quorumLost().contains(key);
        if (d.sorryServer() != null) {
          assertEquals(nowLost, dests(after.get(key)).containsKey(d.sorryServer().endpoint()));
        }
        Boolean had = before.get(key);
        boolean changed = had == null ? nowLost : had == nowLost;
        assertEquals(changed ? 1 : 0, events.stream().filter(e -> e.service().equals(key)).count());
        events.stream().filter(e -> e.service().equals(key)).forEach(e -> assertEquals(!nowLost, e.up()));
      }
      before = report.plan().quorum();
      assertEquals(List.of(), r.reconcile(c.desired()).ops());
    }
  }

  @Provide
  Arbitrary<List<SeededHealth>> healthRounds() {
    return ReconcileArbitraries.health().list().ofMinSize(1).ofMaxSize(6);
  }
}
