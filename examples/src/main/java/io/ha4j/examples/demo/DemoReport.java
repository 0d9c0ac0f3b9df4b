package io.ha4j.examples.demo;

import io.ha4j.core.member.AvailabilityLedger;
import io.ha4j.api.Role;
import io.ha4j.api.health.HealthState;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.api.table.TableOp;
import io.ha4j.testkit.cluster.Bounds;
import io.ha4j.testkit.cluster.Fault;
import io.ha4j.testkit.cluster.History;
import io.ha4j.testkit.cluster.Invariant;
import io.ha4j.testkit.cluster.RealServerPool;
import io.ha4j.testkit.cluster.Violation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a cluster's {@link History} into the demo's text: a timeline of every event and a summary
 * of each fault's effect on the virtual IP, of each real-server outage as every director saw it,
 * the availability and the invariants.
 *
 * <p>Availability is measured on the VIP: the cluster is up while at least one director owns it.
 * A split brain (two owners) counts as up here and is shown on its own.
 */
final class DemoReport {

  private static final String TARGET_TEXT = "99.99%";
  private static final double TARGET = 0.9999;

  private DemoReport() {}

  /** What one fault did to the VIP until the next fault (or the end of the run). */
  record FaultEffect(
      long atNanos, String fault, Set<String> ownersBefore, long firstNewOwnerNanos, String firstNewOwner,
      long lastChangeNanos, long withoutOwnerNanos, long splitBrainNanos, Set<String> ownersAfter) {

    /** From the fault to the first director that did not own the VIP before it owning it; -1 if none. */
    long takeoverNanos() {
      return firstNewOwnerNanos < 0 ? -1 : firstNewOwnerNanos - atNanos;
    }

    /** From the fault to the last change of ownership it caused; -1 if ownership did not change. */
    long settledNanos() {
      return lastChangeNanos < 0 ? -1 : lastChangeNanos - atNanos;
    }
  }

  /**
   * The effects of the history's election faults on VIP ownership, in order (a real server's
   * failure does not move the VIP: see {@link #outages}).
   */
  static List<FaultEffect> effects(History history) {
    List<FaultEffect> out = new ArrayList<>();
    Set<String> owners = new TreeSet<>();
    long prev = 0;
    Window w = null;
    for (History.Event e : history.events()) {
      if (w != null) {
        w.account(owners.size(), e.atNanos() - prev);
      }
      prev = e.atNanos();
      if (e instanceof History.FaultApplied f && !(f.fault() instanceof Fault.RealServerFault)) {
        if (w != null) {
          out.add(w.close(owners));
        }
        w = new Window(f.atNanos(), f.fault().text(), owners);
      } else if (e instanceof History.AddressAdded a) {
        if (owners.add(a.node()) && w != null) {
          w.changed(a.atNanos(), a.node());
        }
      } else if (e instanceof History.AddressRemoved r) {
        if (owners.remove(r.node()) && w != null) {
          w.changed(r.atNanos(), null);
        }
      }
    }
    if (w != null) {
      w.account(owners.size(), history.endNanos() - prev);
      out.add(w.close(owners));
    }
    return out;
  }

  /** The availability of the VIP over the history, observed from its first owner on. */
  static AvailabilityLedger.Report availability(History history) {
    long[] now = {0};
    AvailabilityLedger ledger = new AvailabilityLedger(() -> now[0]);
    Set<String> owners = new TreeSet<>();
    for (History.Event e : history.events()) {
      now[0] = e.atNanos();
      if (e instanceof History.AddressAdded a) {
        owners.add(a.node());
      } else if (e instanceof History.AddressRemoved r) {
        owners.remove(r.node());
      } else {
        continue;
      }
      ledger.masterPresent(!owners.isEmpty());
    }
    now[0] = history.endNanos();
    return ledger.report();
  }

  /** The whole text: header, timeline, summary. */
  static String render(History history, long seed) {
    StringBuilder b = new StringBuilder();
    b.append("ha4j demo: 3 directors on a simulated LAN, virtual time, seed ").append(seed).append('\n');
    b.append("  cluster  ").append(history.cluster().text()).append('\n');
    RealServerPool pool = history.cluster().realServers();
    b.append("  vip      203.0.113.10/32 on eth0, for the service TCP 203.0.113.10:80 (wlc)\n");
    b.append("  servers  ").append(String.join(", ", pool.names().stream().map(n -> n + " " + endpoint(pool, n)).toList()))
        .append('\n');
    b.append("  checks   ").append(checks(pool)).append('\n');
    b.append("  nodes    each director runs the real election, the real member, ha-vip over a fake address\n");
    b.append("           kernel, the IPVS client over a fake IPVS kernel, and the real health engine, whose\n");
    b.append("           probes to the real servers cross the simulated network\n");
    b.append("  faults   crash (no priority-0 advert), restart, partition + heal, failed tracked check\n");
    b.append("           (-60) + recovery, real server down + up (its probes go unanswered)\n");
    b.append('\n');
    timeline(history, b);
    b.append('\n');
    summary(history, b);
    return b.toString();
  }

  private static void timeline(History history, StringBuilder b) {
    b.append("TIMELINE\n");
    row(b, "time", "node", "what", "detail");
    row(b, "----------", "----", "------", "------");
    for (History.Event e : history.events()) {
      String time = seconds(e.atNanos());
      if (e instanceof History.FaultApplied f) {
        String node = f.fault().node();
        row(b, time, node == null ? "*" : node, "FAULT", ">>> " + f.fault().text());
      } else if (e instanceof History.RoleChanged r) {
        row(b, time, r.node(), "role", r.from() + " -> " + r.to() + "  (" + r.reason() + ")");
      } else if (e instanceof History.AddressAdded a) {
        row(b, time, a.node(), "vip", "+ " + a.address().address().getHostAddress() + "/"
            + a.address().prefixLength() + "  (owns the VIP, announced)");
      } else if (e instanceof History.AddressRemoved r) {
        row(b, time, r.node(), "vip", "- " + r.address().address().getHostAddress() + "/"
            + r.address().prefixLength());
      } else if (e instanceof History.TableChanged t) {
        // One op a line: a start programs a whole service, which would not fit on one.
        String[] ops = t.ops().split("; ");
        row(b, time, t.node(), "ipvs", ops[0]);
        for (int i = 1; i < ops.length; i++) {
          row(b, "", "", "", ops[i]);
        }
      } else if (e instanceof History.PriorityChanged p) {
        row(b, time, p.node(), "prio", "effective priority " + p.priority());
      } else if (e instanceof History.StallEnded s) {
        row(b, time, s.node(), "stall", "resumes");
      } else if (e instanceof History.HealthChanged h) {
        row(b, time, h.node(), "health", h.realServer() + " " + h.from() + " -> " + h.to() + "  (" + h.detail() + ")");
      }
    }
    row(b, seconds(history.endNanos()), "", "end", "");
  }

  private static void summary(History history, StringBuilder b) {
    b.append("FAULTS AND FAIL-OVERS (VIP ownership; durations from the fault)\n");
    String f = "  %-20s %-11s %-9s %10s %10s %10s %11s%n";
    b.append(String.format(Locale.ROOT, f, "fault", "VIP owners", "new owner", "takes VIP", "settled", "no owner",
        "two owners"));
    for (FaultEffect e : effects(history)) {
      b.append(String.format(Locale.ROOT, f, e.fault(),
          owners(e.ownersBefore()) + " > " + owners(e.ownersAfter()),
          e.firstNewOwner().isEmpty() ? "-" : e.firstNewOwner(),
          e.takeoverNanos() < 0 ? "-" : millis(e.takeoverNanos()),
          e.settledNanos() < 0 ? "-" : millis(e.settledNanos()),
          millis(e.withoutOwnerNanos()),
          millis(e.splitBrainNanos())).stripTrailing()).append('\n');
    }
    b.append("  takes VIP: fault to the new owner holding the VIP (the fail-over); settled: to the last\n");
    b.append("  ownership change; no owner / two owners: time until the next fault\n");
    b.append('\n');

    realServers(history, b);

    AvailabilityLedger.Report r = availability(history);
    b.append("AVAILABILITY (VIP owned by at least one director, from the first master on)\n");
    String kv = "  %-30s %s%n";
    b.append(String.format(Locale.ROOT, kv, "observed", millis(r.observed().toNanos())));
    b.append(String.format(Locale.ROOT, kv, "without a master", millis(r.withoutMaster().toNanos())));
    b.append(String.format(Locale.ROOT, kv, "outages (no VIP owner)", r.failovers()));
    b.append(String.format(Locale.ROOT, kv, "availability",
        String.format(Locale.ROOT, "%.4f%%", 100 * r.availability())));
    b.append(String.format(Locale.ROOT, kv, "nines", Double.isInfinite(r.nines()) ? "inf"
        : String.format(Locale.ROOT, "%.2f  (of a short run full of faults; the budget below is the"
            + " measure)", r.nines())));
    b.append(String.format(Locale.ROOT, kv, "yearly budget for " + TARGET_TEXT,
        minutes(AvailabilityLedger.yearlyBudget(TARGET).toNanos())));
    b.append(String.format(Locale.ROOT, kv, "left after this run's downtime",
        minutes(r.remainingBudget(TARGET).toNanos())));
    long perFailover = r.failovers() == 0 ? 0 : r.withoutMaster().toNanos() / r.failovers();
    if (perFailover > 0) {
      b.append(String.format(Locale.ROOT, kv, "fail-overs a year that fit",
          AvailabilityLedger.yearlyBudget(TARGET).toNanos() / perFailover + " (at " + millis(perFailover)
              + " each)"));
    }
    b.append('\n');

    List<Violation> violations = Invariant.checkAll(history);
    Map<Invariant, List<Violation>> by = new EnumMap<>(Invariant.class);
    violations.forEach(v -> by.computeIfAbsent(v.invariant(), k -> new ArrayList<>()).add(v));
    b.append("INVARIANTS (checked on this run's history; convergence bound B = ")
        .append(millis(Bounds.of(history).convergenceNanos())).append(")\n");
    for (Invariant i : Invariant.values()) {
      List<Violation> v = by.getOrDefault(i, List.of());
      b.append(String.format(Locale.ROOT, "  %-3s %-5s %s%n", i, v.isEmpty() ? "ok" : "FAIL", describe(i)));
      v.forEach(x -> b.append("        ").append(x).append('\n'));
    }
    b.append(violations.isEmpty() ? "  all invariants hold: 0 violations\n"
        : "  " + violations.size() + " violation(s)\n");
  }

  /** What one director saw and did about one real-server outage; times from the failure or recovery, -1 if never. */
  record DirectorView(String node, Role roleAtFailure, long checksDownNanos, long outOfTableNanos,
      long checksUpNanos, long backInTableNanos) {}

  /**
   * One real server's outage, from its {@code rs-down} to its {@code rs-up} (or the end of the run).
   *
   * @param deadTrafficNanos how long a VIP owner's table still sent new connections to the dead
   *     real server (weight above 0): the detection time as the clients see it, measured
   */
  record RealServerOutage(String realServer, long downAtNanos, long upAtNanos, long deadTrafficNanos,
      List<DirectorView> directors) {}

  /** The real servers' outages in the history, with what every director saw of each. */
  static List<RealServerOutage> outages(History history) {
    RealServerPool pool = history.cluster().realServers();
    List<String> nodes = history.cluster().nodes();
    Map<String, Role> roles = new HashMap<>();
    Set<String> owners = new TreeSet<>();
    Map<String, Map<String, Integer>> weights = new HashMap<>();
    Map<String, OutageAccount> open = new LinkedHashMap<>();
    List<OutageAccount> all = new ArrayList<>();
    long prev = 0;
    for (History.Event e : history.events()) {
      for (OutageAccount a : open.values()) {
        a.account(owners, weights, e.atNanos() - prev);
      }
      prev = e.atNanos();
      if (e instanceof History.FaultApplied f) {
        if (f.fault() instanceof Fault.RealServerDown d && !open.containsKey(d.realServer())) {
          OutageAccount a = new OutageAccount(d.realServer(), f.atNanos(), nodes, roles);
          open.put(d.realServer(), a);
          all.add(a);
        } else if (f.fault() instanceof Fault.RealServerUp u && open.containsKey(u.realServer())) {
          open.get(u.realServer()).upAt = f.atNanos();
        } else if (f.fault() instanceof Fault.Crash c) {
          weights.remove(c.node());
          roles.put(c.node(), Role.INIT);
        }
      } else if (e instanceof History.RoleChanged r) {
        roles.put(r.node(), r.to());
      } else if (e instanceof History.AddressAdded a) {
        owners.add(a.node());
      } else if (e instanceof History.AddressRemoved r) {
        owners.remove(r.node());
      } else if (e instanceof History.HealthChanged h && open.containsKey(h.realServer())) {
        open.get(h.realServer()).health(h);
      } else if (e instanceof History.TableChanged t) {
        Map<String, Integer> table = weights.computeIfAbsent(t.node(), k -> new HashMap<>());
        for (TableOp op : t.applied()) {
          if (op instanceof TableOp.AddRealServer add) {
            weigh(pool, table, add.realServer().address(), add.realServer().weight());
          } else if (op instanceof TableOp.UpdateRealServer up) {
            weigh(pool, table, up.realServer().address(), up.realServer().weight());
          } else if (op instanceof TableOp.DeleteRealServer del) {
            weigh(pool, table, del.endpoint().address(), -1);
          } else if (op instanceof TableOp.DeleteService) {
            table.clear();
          }
        }
        for (OutageAccount a : open.values()) {
          a.table(t.node(), t.atNanos(), table.getOrDefault(a.realServer, -1));
        }
      }
      open.values().removeIf(a -> a.upAt >= 0 && a.closed());
    }
    for (OutageAccount a : open.values()) {
      a.account(owners, weights, history.endNanos() - prev);
    }
    return all.stream().map(OutageAccount::result).toList();
  }

  private static void weigh(RealServerPool pool, Map<String, Integer> table, java.net.InetAddress address, int weight) {
    String name = pool.nameOf(address);
    if (name != null) {
      if (weight < 0) {
        table.remove(name);
      } else {
        table.put(name, weight);
      }
    }
  }

  private static void realServers(History history, StringBuilder b) {
    RealServerPool pool = history.cluster().realServers();
    List<RealServerOutage> outages = outages(history);
    if (outages.isEmpty()) {
      return;
    }
    b.append("REAL-SERVER OUTAGES (each director's own checks; durations from the failure, and from the\n");
    b.append("  recovery for 'checks say UP' and 'back in table')\n");
    long bound = Bounds.of(history).detectionNanos(pool);
    String f = "    %-4s %-14s %15s %13s %14s %14s%n";
    for (RealServerOutage o : outages) {
      b.append("  ").append(o.realServer()).append(' ').append(endpoint(pool, o.realServer())).append("  down at ")
          .append(seconds(o.downAtNanos()))
          .append(o.upAtNanos() < 0 ? ", never back" : ", up again at " + seconds(o.upAtNanos())
              + " (" + millis(o.upAtNanos() - o.downAtNanos()) + ")")
          .append('\n');
      b.append(String.format(Locale.ROOT, f, "node", "role at fault", "checks say DOWN", "out of table", "checks say UP",
          "back in table"));
      for (DirectorView d : o.directors()) {
        b.append(String.format(Locale.ROOT, f, d.node(), d.roleAtFailure(), orDash(d.checksDownNanos()),
            orDash(d.outOfTableNanos()), orDash(d.checksUpNanos()), orDash(d.backInTableNanos())).stripTrailing())
            .append('\n');
      }
      b.append(String.format(Locale.ROOT, "  the VIP owner sent new connections to the dead %s for %s"
          + " (detection bound %s)%n", o.realServer(), millis(o.deadTrafficNanos()), millis(bound)));
    }
    b.append('\n');
  }

  private static String checks(RealServerPool pool) {
    return "every " + millis(pool.interval().toNanos()).replace(".0 ms", " ms") + ", timeout "
        + millis(pool.timeout().toNanos()).replace(".0 ms", " ms") + ", fall " + pool.fall() + ", rise "
        + pool.rise() + "; a real server that is down gets "
        + (pool.onFailure() == FailureMode.QUIESCE ? "weight 0" : "removed");
  }

  private static String endpoint(RealServerPool pool, String name) {
    return pool.address(name).getHostAddress() + ":" + RealServerPool.PORT;
  }

  private static String orDash(long nanos) {
    return nanos < 0 ? "-" : millis(nanos);
  }

  private static String describe(Invariant i) {
    return switch (i) {
      case S1 -> "one master per connected partition, and it alone owns the VIP";
      case S2 -> "a split brain between members that hear each other heals within B";
      case V1 -> "a master holds the VIP within its hold bound, or hands over";
      case L1 -> "a crashed or leaving master is replaced within the fail-over bound";
      case W1 -> "a master whose process was killed is replaced within the death witness's bound";
      case L2 -> "no role change without a disturbance (no flapping)";
      case L3 -> "B after a disturbance the highest-priority eligible member is master";
      case H1 -> "a failed real server leaves every running director's table within the detection bound";
    };
  }

  private static void row(StringBuilder b, String time, String node, String what, String detail) {
    b.append(String.format(Locale.ROOT, "  %10s  %-4s  %-6s  %s", time, node, what, detail).stripTrailing())
        .append('\n');
  }

  private static String owners(Set<String> owners) {
    return owners.isEmpty() ? "none" : String.join("+", owners);
  }

  /** Seconds with microseconds, as in the history: {@code 2.391742s}. */
  static String seconds(long nanos) {
    long micros = nanos / 1_000;
    return String.format(Locale.ROOT, "%d.%06ds", micros / 1_000_000, micros % 1_000_000);
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  private static String minutes(long nanos) {
    return String.format(Locale.ROOT, "%.2f min", nanos / 60e9);
  }

  /** The running account of one fault's window. */
  private static final class Window {
    private final long at;
    private final String fault;
    private final Set<String> before;
    private long firstNewOwnerAt = -1;
    private String firstNewOwner = "";
    private long lastChangeAt = -1;
    private long withoutOwner;
    private long splitBrain;

    Window(long at, String fault, Set<String> owners) {
      this.at = at;
      this.fault = fault;
      this.before = Set.copyOf(owners);
    }

    void account(int owners, long nanos) {
      if (owners == 0) {
        withoutOwner += nanos;
      } else if (owners > 1) {
        splitBrain += nanos;
      }
    }

    void changed(long t, @org.jspecify.annotations.Nullable String newOwner) {
      lastChangeAt = t;
      if (newOwner != null && firstNewOwnerAt < 0 && !before.contains(newOwner)) {
        firstNewOwnerAt = t;
        firstNewOwner = newOwner;
      }
    }

    FaultEffect close(Set<String> owners) {
      return new FaultEffect(at, fault, new TreeSet<>(before), firstNewOwnerAt, firstNewOwner, lastChangeAt,
          withoutOwner, splitBrain, new TreeSet<>(owners));
    }
  }

  /** The running account of one real server's outage. */
  private static final class OutageAccount {
    private final String realServer;
    private final long downAt;
    private final Map<String, Role> roleAtFailure = new LinkedHashMap<>();
    private final Map<String, Long> checksDown = new HashMap<>();
    private final Map<String, Long> outOfTable = new HashMap<>();
    private final Map<String, Long> checksUp = new HashMap<>();
    private final Map<String, Long> backInTable = new HashMap<>();
    private long upAt = -1;
    private long deadTraffic;

    OutageAccount(String realServer, long downAt, List<String> nodes, Map<String, Role> roles) {
      this.realServer = realServer;
      this.downAt = downAt;
      nodes.forEach(n -> roleAtFailure.put(n, roles.getOrDefault(n, Role.INIT)));
    }

    /** {@code nanos} passed in the state before the current event. */
    void account(Set<String> owners, Map<String, Map<String, Integer>> weights, long nanos) {
      if (upAt >= 0) {
        return;
      }
      for (String o : owners) {
        if (weights.getOrDefault(o, Map.of()).getOrDefault(realServer, -1) > 0) {
          deadTraffic += nanos;
          return;
        }
      }
    }

    void health(History.HealthChanged h) {
      if (h.to() == HealthState.DOWN && upAt < 0) {
        checksDown.putIfAbsent(h.node(), h.atNanos() - downAt);
      } else if (h.to() == HealthState.UP && upAt >= 0) {
        checksUp.putIfAbsent(h.node(), h.atNanos() - upAt);
      }
    }

    void table(String node, long at, int weight) {
      if (upAt < 0 && weight <= 0) {
        outOfTable.putIfAbsent(node, at - downAt);
      } else if (upAt >= 0 && weight > 0) {
        backInTable.putIfAbsent(node, at - upAt);
      }
    }

    /** Whether every director that took it out has put it back. */
    boolean closed() {
      return backInTable.keySet().containsAll(outOfTable.keySet()) && checksUp.keySet().containsAll(checksDown.keySet());
    }

    RealServerOutage result() {
      List<DirectorView> views = new ArrayList<>();
      roleAtFailure.forEach((n, r) -> views.add(new DirectorView(n, r, checksDown.getOrDefault(n, -1L),
          outOfTable.getOrDefault(n, -1L), checksUp.getOrDefault(n, -1L), backInTable.getOrDefault(n, -1L))));
      return new RealServerOutage(realServer, downAt, upAt, deadTraffic, views);
    }
  }
}
