package io.ha4j.core.member;

import io.ha4j.api.Cancellable;
import io.ha4j.api.RealServer;
import io.ha4j.api.Role;
import io.ha4j.api.Scheduler;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.api.address.AddressOwner;
import io.ha4j.api.election.Election;
import io.ha4j.api.election.RoleChange;
import io.ha4j.api.election.Tracked;
import io.ha4j.api.member.ConnectionSync;
import io.ha4j.api.reconcile.DesiredService;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * One node of an HA cluster: maps the roles an {@link Election} decides to actions.
 *
 * <ul>
 *   <li>MASTER: (warm standby: start the application first), add and announce the virtual
 *       addresses, run the connection sync daemon as master.
 *   <li>BACKUP, FAULT and INIT: release the virtual addresses, run the sync daemon as backup, stop
 *       the application of a warm standby.
 *   <li>Every role: keep the load-balancer table reconciled with the desired services and the
 *       health of the real servers, so that a backup takes over with a ready table (hot standby).
 * </ul>
 *
 * <p>How ready a backup is follows its {@link StandbyPolicy} (hot by default); see {@link
 * MemberBuilder#standby}.
 *
 * <p>Virtual addresses, services and real servers can be changed while running; each change is
 * applied by the next reconcile pass, which runs at once, and nothing else is touched (no reload
 * that drops connections). Everything runs on the member's {@link Scheduler}; the public methods
 * may be called from any thread and hand their work to it.
 */
public final class Member implements AutoCloseable {

  private final Logger log;

  private final Scheduler scheduler;
  private final Election election;
  private final AddressOwner addresses;
  private final @Nullable ConnectionSync sync;
  private final @Nullable Duration announceRefresh;
  private final AvailabilityLedger availability;
  private final EventDelivery events;

  // Owned by the scheduler thread.
  private final DesiredState desired;
  private final AcquiredAddresses acquired;
  private final StandbyActions standby;
  private final ReconcileLoop reconciles;
  // Volatile: metrics read it from the registry's thread.
  private volatile Role role = Role.INIT;
  private long promotion;
  private @Nullable Cancellable refreshTimer;
  private boolean started;
  private boolean listening;

  Member(MemberBuilder b) {
    this.log = b.log;
    this.scheduler = b.scheduler;
    this.election = b.election;
    this.addresses = b.addresses;
    this.sync = b.sync;
    this.announceRefresh = b.announceRefresh;
    this.desired = new DesiredState(b.virtualAddresses, b.services);
    this.availability = new AvailabilityLedger(scheduler.clock());
    this.events = new EventDelivery(election.nodeId(), scheduler.clock(), b.listeners, log);
    this.acquired = new AcquiredAddresses(addresses, events, log);
    this.standby = new StandbyActions(b.standby, scheduler, events, log);
    this.reconciles = new ReconcileLoop(b, events, desired, this::lookAtTheCluster);
  }

  /** Starts building a member around {@code election} and {@code addresses}. */
  public static MemberBuilder builder(Scheduler scheduler, Election election, AddressOwner addresses) {
    return new MemberBuilder(scheduler, election, addresses);
  }

  /**
   * Starts the member: releases virtual addresses left over by an earlier run (this member is not
   * master yet), has the address owner prepare the take-over, reconciles the table once (adopting
   * what is already there), and joins the election.
   */
  public void start() {
    scheduler.execute(() -> {
      if (started) {
        return;
      }
      started = true;
      for (VirtualAddress a : desired.virtualAddresses()) {
        acquired.release(a, "start: not master yet");
      }
      acquired.prepare();
      if (!listening) {
        // Once for the member's life: neither API can unregister, and the listeners ignore what
        // comes while stopped, so a restart must not add a second of each.
        listening = true;
        listen();
      }
      reconciles.start();
      election.start();
      log.info("member {} started ({} standby, {} virtual addresses, {} services)",
          election.nodeId(), standby.mode(), desired.virtualAddresses().size(), desired.services().size());
    });
  }

  /** The member's listeners on the address owner and the election; on the scheduler thread. */
  private void listen() {
    addresses.watch(e -> scheduler.execute(() -> onAddressEvent(e)));
    election.addListener(new ElectionHandOff(scheduler, this::onRole, r -> announceAll("re-announce: " + r)));
  }

  /**
   * Leaves the cluster gracefully: the election hands over at once (priority 0), the virtual
   * addresses are released and the sync daemon stopped. The load-balancer table is left as it is,
   * so that a restart adopts it without dropping connections. Runs on the scheduler as a task due
   * at once: a {@link io.ha4j.core.time.SystemScheduler} closed right after still runs it.
   */
  public void stop() {
    scheduler.execute(() -> {
      if (!started) {
        return;
      }
      started = false;
      try {
        election.stop();
      } catch (RuntimeException e) {
        // The VIPs must go even when the hand-over could not be sent (a scheduler closed meanwhile).
        events.failure("stop the election", e);
      }
      reconciles.stop();
      cancelRefresh();
      acquired.releaseAll("stop");
      if (sync != null) {
        try {
          sync.stop();
        } catch (RuntimeException e) {
          events.failure("stop the sync daemon", e);
        }
      }
      standby.stopApplication("stop");
      role = Role.INIT;
      log.info("member {} stopped", election.nodeId());
    });
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** The role as this member last acted on it. */
  public Role role() {
    return role;
  }

  /** The election this member follows. */
  public Election election() {
    return election;
  }

  /** Registers a listener for every transition and op. */
  public void addListener(MemberListener listener) {
    events.addListener(listener);
  }

  /** Availability as seen from this member (master present: this one, or one it hears). */
  public AvailabilityLedger.Report availability() {
    return availability.report();
  }

  /** Adds a virtual address at runtime; a master acquires and announces it at once. */
  public void addVirtualAddress(VirtualAddress address) {
    Objects.requireNonNull(address, "address");
    scheduler.execute(() -> {
      if (desired.addVirtualAddress(address)) {
        if (role == Role.MASTER) {
          acquired.acquire(address, "", "added at runtime");
        } else {
          acquired.prepare();
        }
      }
    });
  }

  /** Removes a virtual address at runtime; a master releases it at once. */
  public void removeVirtualAddress(VirtualAddress address) {
    Objects.requireNonNull(address, "address");
    scheduler.execute(() -> {
      if (desired.removeVirtualAddress(address) && acquired.holds(address)) {
        acquired.release(address, "removed at runtime");
      }
    });
  }

  /** Adds or replaces a virtual service with its real servers; the table follows at once. */
  public void putService(DesiredService service) {
    Objects.requireNonNull(service, "service");
    editServices(() -> desired.putService(service));
  }

  /**
   * Stops managing a virtual service. It is left in the table (the reconciler never deletes
   * services it does not manage unless told to); remove it with the table's own API if wanted.
   */
  public void removeService(ServiceKey key) {
    Objects.requireNonNull(key, "key");
    editServices(() -> desired.removeService(key));
  }

  /** Adds or replaces one real server of a managed service. */
  public void putRealServer(ServiceKey key, RealServer server) {
    Objects.requireNonNull(server, "server");
    editServices(() -> desired.putRealServer(key, server));
  }

  /** Removes one real server from a managed service. */
  public void removeRealServer(ServiceKey key, RealServer.Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    editServices(() -> desired.removeRealServer(key, endpoint));
  }

  /** The desired services now. */
  public List<DesiredService> services() {
    return desired.services();
  }

  /** The virtual addresses now. */
  public Set<VirtualAddress> virtualAddresses() {
    return Set.copyOf(desired.virtualAddresses());
  }

  /**
   * Runs a reconcile pass now, for example after a health change. Passes also run every reconcile
   * interval.
   */
  public void reconcileNow() {
    reconciles.passSoon();
  }

  private void onRole(RoleChange change) {
    if (!started) {
      return;
    }
    Role old = role;
    role = change.to();
    boolean takingOver = role == Role.MASTER && old != Role.MASTER;
    if (takingOver) {
      events.holdBack();
    }
    events.emit(new MemberEvent.RoleChanged(events.now(), change));
    change.lostMasterHeardAtNanos().ifPresent(availability::masterLostAt);
    if (takingOver) {
      promote(change.reason());
    } else if (role != Role.MASTER && old == Role.MASTER) {
      demote(change.reason());
    } else if (role != Role.MASTER && sync != null && old == Role.INIT) {
      runSync(false);
    }
    // After the actions: the first MasterRegained (a class loaded then) and a log line written
    // before a take-over's gratuitous ARP would delay every client; a hot standby's gap so ends
    // with the VIP up.
    observeMaster();
    if (takingOver) {
      scheduler.execute(releaseHeldEvents(change));
    } else {
      log.info("member {}: {}", election.nodeId(), change);
    }
    standby.checkLiveMembers(election);
  }

  /** Delivers the events held since a take-over began (and those of its rest), then logs it. */
  private Runnable releaseHeldEvents(RoleChange change) {
    return () -> {
      events.releaseHeld();
      log.info("member {}: {}", election.nodeId(), change);
    };
  }

  private void promote(String reason) {
    long attempt = ++promotion;
    if (standby.startsApplicationFirst()) {
      standby.startApplication(() -> takeOver(attempt, reason));
    } else {
      takeOver(attempt, reason);
    }
  }

  private void takeOver(long attempt, String reason) {
    if (attempt != promotion || role != Role.MASTER) {
      return; // demoted meanwhile, or already taken over by the other path
    }
    long taken = ++promotion;
    for (VirtualAddress a : desired.virtualAddresses()) {
      acquired.acquire(a, "master: ", reason);
    }
    // The rest waits for a task of its own, so that the election's first advertisement as master,
    // queued behind this call, does not wait for the table.
    scheduler.execute(restOfTakeOver(taken));
  }

  private Runnable restOfTakeOver(long taken) {
    return () -> {
      if (taken != promotion || role != Role.MASTER) {
        return; // demoted meanwhile: demote() has undone the take-over
      }
      runSync(true);
      if (announceRefresh != null) {
        refreshTimer = scheduler.scheduleAtFixedRate(announceRefresh, announceRefresh,
            () -> announceAll("periodic refresh"));
      }
      reconciles.pass();
    };
  }

  private void demote(String reason) {
    promotion++;
    cancelRefresh();
    acquired.releaseAll(role + ": " + reason);
    runSync(false);
    standby.stopApplication(reason);
  }

  private void runSync(boolean master) {
    if (sync == null) {
      return;
    }
    try {
      if (master) {
        sync.runAsMaster();
      } else {
        sync.runAsBackup();
      }
    } catch (RuntimeException e) {
      events.failure("run the sync daemon as " + (master ? "master" : "backup"), e);
    }
  }

  private void announceAll(String reason) {
    if (role == Role.MASTER) {
      acquired.announceAll(reason);
    }
  }

  private void onAddressEvent(AddressEvent e) {
    if (!started) {
      return;
    }
    if (e instanceof AddressEvent.AddressRemoved r) {
      if (role == Role.MASTER && desired.hasVirtualAddress(r.address())) {
        acquired.putBack(r.address());
      }
    } else if (e instanceof AddressEvent.LinkDown d) {
      election.setTracked(Tracked.networkInterface(d.interfaceName()), false);
    } else if (e instanceof AddressEvent.LinkUp u) {
      election.setTracked(Tracked.networkInterface(u.interfaceName()), true);
    }
  }

  /** Applies an edit of the desired services on the scheduler, then reconciles (coalesced). */
  private void editServices(Runnable edit) {
    scheduler.execute(() -> {
      edit.run();
      reconciles.passSoon();
    });
  }

  /** Before every reconcile pass: whether a master is present, and how many members live. */
  private void lookAtTheCluster() {
    observeMaster();
    standby.checkLiveMembers(election);
  }

  private void observeMaster() {
    availability.masterPresent(role == Role.MASTER || election.masterKnown())
        .ifPresent(gap -> events.emit(new MemberEvent.MasterRegained(events.now(), gap)));
  }

  private void cancelRefresh() {
    if (refreshTimer != null) {
      refreshTimer.cancel();
      refreshTimer = null;
    }
  }
}
