package io.ha4j.core.member;

import io.ha4j.api.VirtualAddress;
import io.ha4j.api.election.RoleChange;
import io.ha4j.core.reconcile.QuorumChange;
import io.ha4j.core.reconcile.ReconcileReport;
import java.time.Duration;
import java.util.Objects;

/** Something a {@link Member} did or saw; every transition and op is reported. */
public sealed interface MemberEvent {

  /** {@link io.ha4j.api.Clock} reading when it happened. */
  long atNanos();

  /** The election changed this member's role. */
  record RoleChanged(long atNanos, RoleChange change) implements MemberEvent {
    public RoleChanged {
      Objects.requireNonNull(change, "change");
    }
  }

  /**
   * A master is present again after a time without one, as this member saw it (see {@link
   * Member#availability()}): this member became master, or hears one again.
   *
   * @param withoutMaster how long there was none
   */
  record MasterRegained(long atNanos, Duration withoutMaster) implements MemberEvent {
    public MasterRegained {
      Objects.requireNonNull(withoutMaster, "withoutMaster");
    }
  }

  /** A virtual address was added to its interface (on becoming master, or put back). */
  record AddressAcquired(long atNanos, VirtualAddress address) implements MemberEvent {
    public AddressAcquired {
      Objects.requireNonNull(address, "address");
    }
  }

  /** A virtual address was removed from its interface. */
  record AddressReleased(long atNanos, VirtualAddress address) implements MemberEvent {
    public AddressReleased {
      Objects.requireNonNull(address, "address");
    }
  }

  /** Gratuitous ARP / unsolicited NA was sent for an address. */
  record AddressAnnounced(long atNanos, VirtualAddress address, String reason) implements MemberEvent {
    public AddressAnnounced {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A reconcile pass changed the load-balancer table (only passes with ops or errors). */
  record TableReconciled(long atNanos, ReconcileReport report) implements MemberEvent {
    public TableReconciled {
      Objects.requireNonNull(report, "report");
    }
  }

  /** A virtual service gained or lost quorum (keepalived's quorum_up / quorum_down). */
  record QuorumChanged(long atNanos, QuorumChange change) implements MemberEvent {
    public QuorumChanged {
      Objects.requireNonNull(change, "change");
    }
  }

  /** Something failed; the member carries on and retries where it can. */
  record Failure(long atNanos, String what, Throwable error) implements MemberEvent {
    public Failure {
      Objects.requireNonNull(what, "what");
      Objects.requireNonNull(error, "error");
    }
  }

  /** A standby hook ran: application start/stop, or spare activation. */
  record StandbyAction(long atNanos, String action) implements MemberEvent {
    public StandbyAction {
      Objects.requireNonNull(action, "action");
    }
  }
}
