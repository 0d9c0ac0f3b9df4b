package io.ha4j.core.member;

import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressOwner;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The virtual addresses a member has on its interfaces: adds and announces them through the
 * {@link AddressOwner}, releases and re-announces them, and reports each step as an event. Which
 * addresses to take and when is the member's decision. Owned by the member's scheduler thread.
 */
final class AcquiredAddresses {

  /** The member's log, under its name: these are its lines. */
  private final Logger log;

  private final AddressOwner owner;
  private final EventDelivery events;
  private final Set<VirtualAddress> acquired = new LinkedHashSet<>();
  // Adds tried and not undone since: after a failed or ambiguous add the kernel may hold the
  // address all the same, and a release must not skip it.
  private final Set<VirtualAddress> tried = new LinkedHashSet<>();

  AcquiredAddresses(AddressOwner owner, EventDelivery events, Logger log) {
    this.log = log;
    this.owner = owner;
    this.events = events;
  }

  /** Whether {@code a} was acquired and not released since. */
  boolean holds(VirtualAddress a) {
    return acquired.contains(a);
  }

  /** Has the owner get the next take-over ready (a hot standby's take-over starts warm). */
  void prepare() {
    try {
      owner.prepare();
    } catch (RuntimeException e) {
      events.failure("prepare the take-over", e);
    }
  }

  /**
   * Adds and announces {@code a}; the events' reason is {@code prefix + reason}, built after the
   * announcement.
   *
   * @return whether the address is on its interface (a failed announcement still counts)
   */
  boolean acquire(VirtualAddress a, String prefix, String reason) {
    tried.add(a);
    try {
      owner.add(a);
    } catch (RuntimeException e) {
      events.failure("acquire " + a, e);
      return false;
    }
    acquired.add(a);
    // The announcement goes out before the events are emitted, in the same order as ever: their
    // listeners may log, and nothing should stand between the address and its gratuitous ARP.
    @Nullable RuntimeException announceFailure = null;
    try {
      owner.announce(a);
    } catch (RuntimeException e) {
      announceFailure = e;
    }
    events.emit(new MemberEvent.AddressAcquired(events.now(), a));
    if (announceFailure != null) {
      events.failure("acquire " + a, announceFailure);
    } else {
      events.emit(new MemberEvent.AddressAnnounced(events.now(), a, prefix + reason));
    }
    return true;
  }

  /** Acquires {@code a} again after something else removed it from its interface. */
  boolean putBack(VirtualAddress a) {
    log.warn("{} was removed behind our back while master; putting it back", a);
    acquired.remove(a);
    return acquire(a, "", "put back after external removal");
  }

  /**
   * Removes {@code a} from its interface, whether acquired or left over by an earlier run.
   *
   * @return whether it is gone
   */
  boolean release(VirtualAddress a, String reason) {
    try {
      owner.remove(a);
      tried.remove(a);
      if (acquired.remove(a)) {
        events.emit(new MemberEvent.AddressReleased(events.now(), a));
      }
      log.debug("released {} ({})", a, reason);
      return true;
    } catch (RuntimeException e) {
      events.failure("release " + a, e);
      return false;
    }
  }

  /** The addresses that may be on their interfaces: acquired, or an add tried and not undone. */
  List<VirtualAddress> held() {
    Set<VirtualAddress> all = new LinkedHashSet<>(acquired);
    all.addAll(tried);
    return List.copyOf(all);
  }

  /** Announces every acquired address again (a split brain healed, a periodic refresh). */
  void announceAll(String reason) {
    for (VirtualAddress a : List.copyOf(acquired)) {
      try {
        owner.announce(a);
        events.emit(new MemberEvent.AddressAnnounced(events.now(), a, reason));
      } catch (RuntimeException e) {
        events.failure("announce " + a, e);
      }
    }
  }
}
