package io.ha4j.testkit.cluster;

import io.ha4j.api.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The disturbances of a {@link History} (see {@link Invariant}): the times from which the
 * convergence bound {@code B} runs and between which the stable periods lie, in time order,
 * starting with the start of the members at 0.
 */
final class Disturbances {

  private final long[] at;

  private Disturbances(long[] at) {
    this.at = at;
  }

  /**
   * A stall is harmless (no disturbance) only if {@link Bounds#harmlessStall} says so, the member
   * was not stalled already, it starts at least {@code B} after the previous disturbance, and no
   * other fault comes before {@code A + D} after its end: a stall amid other faults delays what
   * they set in motion.
   */
  static Disturbances of(History history, Bounds bounds) {
    List<History.Event> events = history.events();
    List<Long> times = new ArrayList<>();
    times.add(0L);
    ClusterState s = new ClusterState(history.cluster());
    Set<String> harmfulStall = new HashSet<>();
    long b = bounds.convergenceNanos();
    for (int i = 0; i < events.size(); i++) {
      History.Event e = events.get(i);
      if (e instanceof History.FaultApplied f && !unseen(f.fault())) {
        boolean counts = true;
        if (f.fault() instanceof Fault.Stall st) {
          String n = st.node();
          boolean backup = s.role.get(n) != Role.MASTER;
          long quietUntil = f.atNanos() + st.duration().toNanos() + bounds.advertisementNanos() + bounds.maxDelayNanos();
          if (!s.up.contains(n)) {
            counts = false;
          } else if (!s.stalled(n) && bounds.harmlessStall(st.duration().toNanos(), backup)
              && times.get(times.size() - 1) <= f.atNanos() - b && noFaultBetween(events, i, quietUntil)) {
            counts = false;
          } else {
            harmfulStall.add(n);
          }
        }
        if (counts) {
          times.add(f.atNanos());
        }
      } else if (e instanceof History.StallEnded se && harmfulStall.remove(se.node())) {
        times.add(se.atNanos());
      } else if (e instanceof History.RoleChanged rc && s.addFault(rc.node())) {
        // A member whose adds fail takes over, goes to FAULT past its hold bound and leaves FAULT
        // when its hold-off ends, to try again (it cannot see the kernel refuse or heal): each of
        // its role changes is of the fault's making, like a restart.
        times.add(rc.atNanos());
      }
      s.apply(e);
    }
    return new Disturbances(times.stream().mapToLong(Long::longValue).toArray());
  }

  private static boolean noFaultBetween(List<History.Event> events, int index, long until) {
    for (int j = index + 1; j < events.size() && events.get(j).atNanos() <= until; j++) {
      if (electionFault(events.get(j))) {
        return false;
      }
    }
    for (int j = index - 1; j >= 0 && events.get(j).atNanos() == events.get(index).atNanos(); j--) {
      if (electionFault(events.get(j))) {
        return false;
      }
    }
    return true;
  }

  /** A fault the election can see: all but the {@link #unseen} ones. */
  private static boolean electionFault(History.Event e) {
    return e instanceof History.FaultApplied f && !unseen(f.fault());
  }

  /**
   * A fault the election must not see, so no disturbance: a real server's (members learn of those
   * by checks), a flood and an injected witness reset (a role change in their stable period is a
   * false fail-over).
   */
  private static boolean unseen(Fault fault) {
    return fault instanceof Fault.RealServerFault || fault instanceof Fault.Flood || fault instanceof Fault.WitnessReset;
  }

  int count() {
    return at.length;
  }

  /** The time of disturbance {@code k}. */
  long at(int k) {
    return at[k];
  }

  /** The index of the last disturbance at or before {@code t}. */
  int periodOf(long t) {
    int j = 0;
    for (int x = 0; x < at.length && at[x] <= t; x++) {
      j = x;
    }
    return j;
  }

  /** Whether {@code t} lies in the stable part of {@code period}: from {@code b} after it until the next one. */
  boolean inPeriod(int period, long t, long b, long end) {
    long stop = period + 1 < at.length ? at[period + 1] : end + 1;
    return at[period] + b <= t && t < stop;
  }

  /** Whether the disturbance at {@code t} is settled: the previous lies at least {@code b} back, and no other one shares the instant. */
  boolean settled(long t, long b) {
    long previous = Long.MIN_VALUE;
    int atThisInstant = 0;
    for (long x : at) {
      if (x < t) {
        previous = Math.max(previous, x);
      } else if (x == t) {
        atThisInstant++;
      }
    }
    return previous <= t - b && atThisInstant == 1;
  }

  /** Whether a disturbance comes after {@code t} and at or before {@code until}. */
  boolean anyAfter(long t, long until) {
    for (long x : at) {
      if (x > t && x <= until) {
        return true;
      }
    }
    return false;
  }
}
