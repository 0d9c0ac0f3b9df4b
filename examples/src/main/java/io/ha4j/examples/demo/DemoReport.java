package io.ha4j.examples.demo;

import io.ha4j.api.member.AvailabilityLedger;
import io.ha4j.testkit.cluster.Bounds;
import io.ha4j.testkit.cluster.History;
import io.ha4j.testkit.cluster.Invariant;
import io.ha4j.testkit.cluster.Violation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a cluster's {@link History} into the demo's text: a timeline of every event and a summary
 * of each fault's effect on the virtual IP, the availability and the invariants.
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

  /** The effects of the history's faults on VIP ownership, in order. */
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
      if (e instanceof History.FaultApplied f) {
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
    b.append("  vip      203.0.113.10/32 on eth0; each director runs the real election, the real member,\n");
    b.append("           ha-vip over a fake address kernel and the IPVS client over a fake IPVS kernel\n");
    b.append("  faults   crash (no priority-0 advert), restart, partition + heal, failed tracked check\n");
    b.append("           (-60) + recovery; real-server failures are not simulated yet\n");
    b.append('\n');
    timeline(history, b);
    b.append('\n');
    summary(history, b);
    return b.toString();
  }

  private static void timeline(History history, StringBuilder b) {
    b.append("TIMELINE\n");
    row(b, "time", "node", "what", "detail");
    row(b, "----------", "----", "-----", "------");
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

  private static String describe(Invariant i) {
    return switch (i) {
      case S1 -> "one master per connected partition, and it alone owns the VIP";
      case S2 -> "a split brain between members that hear each other heals within B";
      case L1 -> "a crashed or leaving master is replaced within the fail-over bound";
      case L2 -> "no role change without a disturbance (no flapping)";
      case L3 -> "B after a disturbance the highest-priority eligible member is master";
    };
  }

  private static void row(StringBuilder b, String time, String node, String what, String detail) {
    b.append(String.format(Locale.ROOT, "  %10s  %-4s  %-5s  %s", time, node, what, detail).stripTrailing())
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
}
