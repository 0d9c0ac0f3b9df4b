package io.ha4j.testkit.cluster;

import io.ha4j.api.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster as a {@link History} tells it at one instant, advanced event by event: roles, the
 * members up, the VIP's owners, stalls, tracked interfaces and checks down, cut links and loss.
 */
final class ClusterState {
  private final ClusterConfig cluster;

  final Map<String, Role> role = new LinkedHashMap<>();
  final Set<String> up = new TreeSet<>();
  final Set<String> owners = new TreeSet<>();
  final Set<String> interfaceDown = new HashSet<>();
  final Set<String> checkDown = new HashSet<>();
  final Set<String> addsFailing = new HashSet<>();
  /**
   * Members whose adds work again but which are still in the FAULT those adds caused: they leave it
   * only when their hold-off ends (they cannot see the kernel heal), so they are not eligible yet.
   */
  final Set<String> addFaultHeld = new HashSet<>();
  final Map<String, Long> stalledUntil = new HashMap<>();
  final Set<String> cut = new HashSet<>();
  double loss;

  ClusterState(ClusterConfig cluster) {
    this.cluster = cluster;
    for (String n : cluster.nodes()) {
      role.put(n, Role.INIT);
      up.add(n);
    }
  }

  void apply(History.Event e) {
    if (e instanceof History.RoleChanged r) {
      role.put(r.node(), r.to());
      if (r.from() == Role.FAULT) {
        addFaultHeld.remove(r.node());
      }
    } else if (e instanceof History.AddressAdded a) {
      owners.add(a.node());
    } else if (e instanceof History.AddressRemoved a) {
      owners.remove(a.node());
    } else if (e instanceof History.StallEnded s) {
      stalledUntil.remove(s.node());
    } else if (e instanceof History.FaultApplied f) {
      applyFault(f.atNanos(), f.fault());
    }
  }

  private void applyFault(long at, Fault fault) {
    if (fault instanceof Fault.Death c) {
      up.remove(c.node());
      role.put(c.node(), Role.INIT);
      stalledUntil.remove(c.node());
      addFaultHeld.remove(c.node());
    } else if (fault instanceof Fault.Stop s) {
      up.remove(s.node());
    } else if (fault instanceof Fault.Boot r) {
      up.add(r.node());
      addFaultHeld.remove(r.node());
    } else if (fault instanceof Fault.DuplicateId d) {
      up.add(d.node()); // a restart, under the twin's id

    } else if (fault instanceof Fault.Stall s) {
      if (up.contains(s.node())) {
        stalledUntil.merge(s.node(), at + s.duration().toNanos(), Math::max);
      }
    } else if (fault instanceof Fault.PriorityDrop p) {
      checkDown.add(p.node());
    } else if (fault instanceof Fault.PriorityRestore p) {
      checkDown.remove(p.node());
    } else if (fault instanceof Fault.InterfaceDown i) {
      interfaceDown.add(i.node());
    } else if (fault instanceof Fault.InterfaceUp i) {
      interfaceDown.remove(i.node());
    } else if (fault instanceof Fault.VipAddFailing v) {
      addsFailing.add(v.node());
    } else if (fault instanceof Fault.VipAddWorking v) {
      addsFailing.remove(v.node());
      if (role.get(v.node()) == Role.FAULT) {
        addFaultHeld.add(v.node());
      }
    } else if (fault instanceof Fault.Partition p) {
      for (int i = 0; i < p.sides().size(); i++) {
        for (int j = 0; j < p.sides().size(); j++) {
          if (i != j) {
            for (String a : p.sides().get(i)) {
              for (String b : p.sides().get(j)) {
                cut.add(a + ">" + b);
              }
            }
          }
        }
      }
    } else if (fault instanceof Fault.Cut c) {
      cut.add(c.from() + ">" + c.to());
    } else if (fault instanceof Fault.Heal) {
      cut.clear();
    } else if (fault instanceof Fault.Loss l) {
      loss = l.probability();
    }
  }

  /** Whether {@code n}'s role changes are of its own VIP-add fault's making (see {@link #addFaultHeld}). */
  boolean addFault(String n) {
    return addsFailing.contains(n) || addFaultHeld.contains(n);
  }

  boolean stalled(String n) {
    return stalledUntil.containsKey(n);
  }

  boolean eligible(String n) {
    // A member whose address kernel refuses adds cannot serve as master: like a tracked interface down.
    return up.contains(n) && !interfaceDown.contains(n) && !addsFailing.contains(n) && !addFaultHeld.contains(n)
        && !stalled(n);
  }

  int priority(String n) {
    int p = cluster.priority(n) - (checkDown.contains(n) ? ClusterConfig.PRIORITY_DROP : 0);
    return Math.max(1, Math.min(254, p));
  }

  boolean linked(String a, String b) {
    return !cut.contains(a + ">" + b) && !cut.contains(b + ">" + a);
  }

  /** The connected partitions (see {@link Invariant}) among the up members. */
  List<Set<String>> partitions() {
    List<Set<String>> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String start : up) {
      if (seen.contains(start)) {
        continue;
      }
      Set<String> comp = new TreeSet<>();
      List<String> todo = new ArrayList<>(List.of(start));
      while (!todo.isEmpty()) {
        String n = todo.remove(todo.size() - 1);
        if (comp.add(n)) {
          for (String m : up) {
            if (!comp.contains(m) && linked(n, m)) {
              todo.add(m);
            }
          }
        }
      }
      seen.addAll(comp);
      if (clean(comp)) {
        result.add(comp);
      }
    }
    return result;
  }

  private boolean clean(Set<String> comp) {
    for (String a : comp) {
      for (String b : up) {
        if (a.equals(b)) {
          continue;
        }
        boolean ab = !cut.contains(a + ">" + b);
        boolean ba = !cut.contains(b + ">" + a);
        if (comp.contains(b) ? !(ab && ba) : (ab || ba)) {
          return false;
        }
      }
    }
    return true;
  }

  List<String> masters(Set<String> comp) {
    return comp.stream().filter(n -> role.get(n) == Role.MASTER).toList();
  }
}
