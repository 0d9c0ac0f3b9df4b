package io.ha4j.core.member;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.election.Election;
import io.ha4j.api.election.Tracked;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Sees to it that a master holds its virtual addresses and a member that is not master holds none,
 * over {@link AcquiredAddresses}: an add or a release that fails (the interface missing or
 * re-created, ENOMEM, no answer) is retried with backoff on the scheduler, at once when the
 * interface comes back. An address that cannot be added within the hold bound is reported to the
 * election as a held address that is down ({@link Tracked.Kind#ADDRESS}): the election goes to
 * FAULT and a master hands over with priority 0, so that a peer holds the address instead of
 * nobody. The fault ends when the interface is up again, or after a hold-off that doubles while
 * faults repeat. A release that cannot be done within the bound is a fault too, until it is done.
 * Owned by the member's scheduler thread.
 */
final class AddressHold {

  private static final long FIRST_RETRY_NANOS = Duration.ofMillis(10).toNanos();
  private static final long LONGEST_RETRY_NANOS = Duration.ofSeconds(1).toNanos();
  private static final long FIRST_HOLD_OFF_NANOS = Duration.ofSeconds(2).toNanos();
  private static final long LONGEST_HOLD_OFF_NANOS = Duration.ofMinutes(1).toNanos();

  private final Logger log;
  private final Scheduler scheduler;
  private final Election election;
  private final AcquiredAddresses acquired;
  private final long boundNanos;
  private final BooleanSupplier master;
  private final Predicate<VirtualAddress> desired;
  private final Map<VirtualAddress, Retry> retries = new HashMap<>();
  private final Map<VirtualAddress, Fault> faults = new HashMap<>();
  private int faultsInARow;

  /** An add or release being retried until {@code deadline}. */
  private static final class Retry {
    final boolean adding;
    final long deadline;
    long delay = FIRST_RETRY_NANOS;
    @Nullable Cancellable timer;

    Retry(boolean adding, long deadline) {
      this.adding = adding;
      this.deadline = deadline;
    }
  }

  /** An address reported down: it could not be added (or released); an add fault ends after {@code holdOff}. */
  private record Fault(boolean adding, @Nullable Cancellable holdOff) {}

  /**
   * @param bound how long an address may stay not held (or not released) before the election goes to FAULT
   * @param master whether the member is master now (it should hold its addresses)
   * @param desired whether an address is still one of the member's
   */
  AddressHold(Scheduler scheduler, Election election, AcquiredAddresses acquired, Duration bound,
      BooleanSupplier master, Predicate<VirtualAddress> desired, Logger log) {
    this.log = log;
    this.scheduler = scheduler;
    this.election = election;
    this.acquired = acquired;
    this.boundNanos = bound.toNanos();
    this.master = master;
    this.desired = desired;
  }

  /** Acquires {@code a} as master (see {@link AcquiredAddresses#acquire}); a failure is retried. */
  void acquire(VirtualAddress a, String prefix, String reason) {
    cancelRetry(a);
    if (acquired.acquire(a, prefix, reason)) {
      faultsInARow = 0;
    } else {
      retry(a, true);
    }
  }

  /** Acquires {@code a} again after someone else removed it; a failure is retried. */
  void putBack(VirtualAddress a) {
    cancelRetry(a);
    if (!acquired.putBack(a)) {
      retry(a, true);
    }
  }

  /** Releases {@code a}; a failure is retried. */
  void release(VirtualAddress a, String reason) {
    cancelRetry(a);
    if (acquired.release(a, reason)) {
      released(a);
    } else {
      retry(a, false);
    }
  }

  /** Releases every address that may be on its interface, also those whose add failed or got no answer. */
  void releaseAll(String reason) {
    for (VirtualAddress a : acquired.held()) {
      release(a, reason);
    }
  }

  /**
   * Interface {@code name} is usable again: retry the adds waiting for it now, end the faults of its
   * addresses, and a master announces again (an announcement sent while it was down went nowhere).
   */
  void interfaceUp(String name) {
    if (master.getAsBoolean()) {
      acquired.announceAll("interface " + name + " is up");
    }
    for (Map.Entry<VirtualAddress, Fault> e : List.copyOf(faults.entrySet())) {
      if (e.getValue().adding() && e.getKey().interfaceName().equals(name)) {
        endFault(e.getKey(), "interface " + name + " is up");
      }
    }
    for (Map.Entry<VirtualAddress, Retry> e : List.copyOf(retries.entrySet())) {
      Retry r = e.getValue();
      if (r.adding && e.getKey().interfaceName().equals(name)) {
        cancel(r);
        attempt(e.getKey(), r);
      }
    }
  }

  private void retry(VirtualAddress a, boolean adding) {
    Retry r = new Retry(adding, scheduler.clock().nanoTime() + boundNanos);
    retries.put(a, r);
    schedule(a, r, r.delay);
  }

  private void schedule(VirtualAddress a, Retry r, long delay) {
    r.timer = scheduler.schedule(Duration.ofNanos(delay), () -> attempt(a, r));
  }

  private void attempt(VirtualAddress a, Retry r) {
    if (retries.get(a) != r) {
      return;
    }
    boolean ok;
    if (r.adding) {
      if (!master.getAsBoolean() || !desired.test(a)) {
        retries.remove(a);
        return; // demoted meanwhile: the demotion releases it
      }
      ok = acquired.acquire(a, "master: ", "retried");
    } else {
      if (master.getAsBoolean()) {
        retries.remove(a);
        return; // master again: the take-over adds it
      }
      ok = acquired.release(a, "retried");
    }
    long now = scheduler.clock().nanoTime();
    if (ok) {
      retries.remove(a);
      if (r.adding) {
        faultsInARow = 0;
      } else {
        released(a);
      }
      return;
    }
    if (now - r.deadline >= 0 && !faults.containsKey(a)) {
      fault(a, r.adding);
      if (r.adding) {
        retries.remove(a);
        return; // FAULT: the member gives its addresses up
      }
    }
    r.delay = Math.min(r.delay * 2, LONGEST_RETRY_NANOS);
    long next = r.delay;
    if (r.deadline - now > 0) {
      next = Math.min(next, r.deadline - now);
    }
    schedule(a, r, next);
  }

  private void fault(VirtualAddress a, boolean adding) {
    Cancellable holdOff = null;
    if (adding) {
      long wait = Math.min(FIRST_HOLD_OFF_NANOS << Math.min(faultsInARow, 10), LONGEST_HOLD_OFF_NANOS);
      faultsInARow++;
      holdOff = scheduler.schedule(Duration.ofNanos(wait), () -> endFault(a, "hold-off over"));
      log.error("member {}: could not add {} within {} ms: FAULT, handing over; trying again in {} ms or when"
          + " its interface is up", election.nodeId(), a, boundNanos / 1_000_000, wait / 1_000_000);
    } else {
      log.error("member {}: could not release {} within {} ms: FAULT until it is released", election.nodeId(), a,
          boundNanos / 1_000_000);
    }
    faults.put(a, new Fault(adding, holdOff));
    election.setTracked(tracked(a), false);
  }

  private void released(VirtualAddress a) {
    Fault f = faults.get(a);
    if (f != null && !f.adding()) {
      endFault(a, "released");
    }
  }

  private void endFault(VirtualAddress a, String why) {
    Fault f = faults.remove(a);
    if (f == null) {
      return;
    }
    if (f.holdOff() != null) {
      f.holdOff().cancel();
    }
    log.info("member {}: {} can be held again ({})", election.nodeId(), a, why);
    election.setTracked(tracked(a), true);
  }

  private void cancelRetry(VirtualAddress a) {
    Retry r = retries.remove(a);
    if (r != null) {
      cancel(r);
    }
  }

  private static void cancel(Retry r) {
    if (r.timer != null) {
      r.timer.cancel();
      r.timer = null;
    }
  }

  static Tracked tracked(VirtualAddress a) {
    return Tracked.heldAddress(a.toString());
  }
}
