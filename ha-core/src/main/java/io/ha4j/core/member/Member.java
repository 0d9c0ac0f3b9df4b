package io.ha4j.core.member;

import io.ha4j.api.member.ApplicationControl;
import io.ha4j.api.member.ConnectionSync;
import io.ha4j.api.member.SpareActivation;
import io.ha4j.api.Cancellable;
import io.ha4j.api.NodeId;
import io.ha4j.api.RealServer;
import io.ha4j.api.Role;
import io.ha4j.api.Scheduler;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.api.address.AddressOwner;
import io.ha4j.api.election.Election;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import io.ha4j.api.election.Tracked;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.api.internal.RehearsalScheduler;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.HealthLookup;
import io.ha4j.core.reconcile.ReconcileOptions;
import io.ha4j.core.reconcile.ReconcileReport;
import io.ha4j.core.reconcile.Reconciler;
import io.ha4j.api.table.LoadBalancerTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

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
 * <p>Virtual addresses, services and real servers can be changed while running; each change is
 * applied by the next reconcile pass, which runs at once, and nothing else is touched (no reload
 * that drops connections). Everything runs on the member's {@link Scheduler}; the public methods
 * may be called from any thread and hand their work to it.
 */
public final class Member implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Member.class);
  /**
   * Rounds of the take-over rehearsal, once per JVM: everything gets linked and loaded, and what
   * runs several times a round compiled. (At a JVM's start the JIT raises its thresholds with its
   * queue; 1,500 rounds, which compiled the rest too, gained nothing measurable in the fail-over
   * bench and took longer.)
   */
  static final int REHEARSAL_ROUNDS = 300;
  private static final AtomicBoolean REHEARSED = new AtomicBoolean();

  private final Scheduler scheduler;
  private final Election election;
  private final AddressOwner addresses;
  private final @Nullable Reconciler reconciler;
  private final @Nullable ConnectionSync sync;
  private final StandbyMode standby;
  private final @Nullable ApplicationControl application;
  private final Duration applicationStartTimeout;
  private final @Nullable SpareActivation spare;
  private final int minimumLiveMembers;
  private final Duration reconcileInterval;
  private final @Nullable Duration announceRefresh;
  private final AvailabilityLedger availability;
  /** A rehearsal's twin logs nothing and rehearses nothing itself. */
  private final boolean twin;
  private final Logger log;
  private final List<MemberListener> listeners = new CopyOnWriteArrayList<>();
  /** Events of a take-over in progress, emitted once its gratuitous ARPs are out; null otherwise. */
  private @Nullable List<MemberEvent> heldEvents;

  // Owned by the scheduler thread.
  private final Set<VirtualAddress> virtualAddresses;
  private final Map<ServiceKey, DesiredService> services;
  private final Set<VirtualAddress> acquired = new LinkedHashSet<>();
  // Volatile: metrics read it from the registry's thread.
  private volatile Role role = Role.INIT;
  private long promotion;
  private boolean spareActivated;
  private boolean applicationRunning;
  private @Nullable Cancellable reconcileTimer;
  private @Nullable Cancellable refreshTimer;
  private final @Nullable HealthEngine healthEngine;
  private @Nullable Cancellable healthSubscription;
  private boolean started;

  private Member(Builder b) {
    this.scheduler = b.scheduler;
    this.election = b.election;
    this.addresses = b.addresses;
    this.sync = b.sync;
    this.standby = b.standby;
    this.application = b.application;
    this.applicationStartTimeout = b.applicationStartTimeout;
    this.spare = b.spare;
    this.minimumLiveMembers = b.minimumLiveMembers;
    this.reconcileInterval = b.reconcileInterval;
    this.announceRefresh = b.announceRefresh;
    this.virtualAddresses = new LinkedHashSet<>(b.virtualAddresses);
    this.services = new LinkedHashMap<>();
    for (DesiredService d : b.services) {
      if (services.put(d.service().key(), d) != null) {
        throw new IllegalArgumentException("service " + d.service().key() + " is configured twice");
      }
    }
    LoadBalancerTable table = b.table;
    this.reconciler = table == null ? null
        : new Reconciler(table, b.health, b.reconcileOptions,
            change -> emit(new MemberEvent.QuorumChanged(now(), change)));
    this.availability = new AvailabilityLedger(scheduler.clock());
    this.healthEngine = b.healthEngine;
    this.listeners.addAll(b.listeners);
    this.twin = b.twin;
    this.log = twin ? NOPLogger.NOP_LOGGER : LOG;
  }

  /** Starts building a member around {@code election} and {@code addresses}. */
  public static Builder builder(Scheduler scheduler, Election election, AddressOwner addresses) {
    return new Builder(scheduler, election, addresses);
  }

  /**
   * Starts the member: releases virtual addresses left over by an earlier run (this member is not
   * master yet), reconciles the table once (adopting what is already there), and joins the
   * election.
   */
  public void start() {
    onScheduler(() -> {
      if (started) {
        return;
      }
      started = true;
      for (VirtualAddress a : virtualAddresses) {
        release(a, "start: not master yet");
      }
      prepareTakeOver();
      addresses.watch(e -> scheduler.execute(() -> onAddressEvent(e)));
      election.addListener(new ElectionListener() {
        @Override
        public void onRoleChange(RoleChange change) {
          // On the election's thread when it shares our scheduler: a take-over's gratuitous ARP
          // then goes out before the tasks queued meanwhile (the election's role line).
          if (scheduler.inSchedulerThread()) {
            onRole(change);
          } else {
            scheduler.execute(() -> onRole(change));
          }
        }

        @Override
        public void onReannounce(String reason) {
          scheduler.execute(() -> announceAll("re-announce: " + reason));
        }
      });
      if (reconciler != null) {
        HealthEngine engine = healthEngine;
        if (engine != null) {
          // A real server that fails leaves the table at once, not at the next periodic pass.
          healthSubscription = engine.addListener(change -> reconcileNow());
        }
        reconcileNow();
        reconcileTimer = scheduler.scheduleAtFixedRate(reconcileInterval, reconcileInterval, this::reconcile);
      }
      election.start();
      log.info("member {} started ({} standby, {} virtual addresses, {} services)",
          election.nodeId(), standby, virtualAddresses.size(), services.size());
    });
  }

  /**
   * Leaves the cluster gracefully: the election hands over at once (priority 0), the virtual
   * addresses are released and the sync daemon stopped. The load-balancer table is left as it is,
   * so that a restart adopts it without dropping connections.
   */
  public void stop() {
    onScheduler(() -> {
      if (!started) {
        return;
      }
      started = false;
      election.stop();
      cancelTimers();
      for (VirtualAddress a : List.copyOf(acquired)) {
        release(a, "stop");
      }
      if (sync != null) {
        try {
          sync.stop();
        } catch (RuntimeException e) {
          fail("stop the sync daemon", e);
        }
      }
      stopApplication("stop");
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
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Availability as seen from this member (master present: this one, or one it hears). */
  public AvailabilityLedger.Report availability() {
    return availability.report();
  }

  /** Adds a virtual address at runtime; a master acquires and announces it at once. */
  public void addVirtualAddress(VirtualAddress address) {
    Objects.requireNonNull(address, "address");
    onScheduler(() -> {
      if (virtualAddresses.add(address)) {
        if (role == Role.MASTER) {
          acquire(address, "", "added at runtime");
        } else {
          prepareTakeOver();
        }
      }
    });
  }

  /** Removes a virtual address at runtime; a master releases it at once. */
  public void removeVirtualAddress(VirtualAddress address) {
    Objects.requireNonNull(address, "address");
    onScheduler(() -> {
      if (virtualAddresses.remove(address) && acquired.contains(address)) {
        release(address, "removed at runtime");
      }
    });
  }

  /** Adds or replaces a virtual service with its real servers; the table follows at once. */
  public void putService(DesiredService service) {
    Objects.requireNonNull(service, "service");
    onScheduler(() -> {
      services.put(service.service().key(), service);
      reconcile();
    });
  }

  /**
   * Stops managing a virtual service. It is left in the table (the reconciler never deletes
   * services it does not manage unless told to); remove it with the table's own API if wanted.
   */
  public void removeService(ServiceKey key) {
    Objects.requireNonNull(key, "key");
    onScheduler(() -> {
      services.remove(key);
      reconcile();
    });
  }

  /** Adds or replaces one real server of a managed service. */
  public void putRealServer(ServiceKey key, RealServer server) {
    Objects.requireNonNull(server, "server");
    onScheduler(() -> {
      DesiredService d = requireService(key);
      List<RealServer> list = new ArrayList<>();
      boolean replaced = false;
      for (RealServer rs : d.realServers()) {
        if (rs.endpoint().equals(server.endpoint())) {
          list.add(server);
          replaced = true;
        } else {
          list.add(rs);
        }
      }
      if (!replaced) {
        list.add(server);
      }
      services.put(key, new DesiredService(d.service(), list, d.sorryServer(), d.failureMode(), d.quorum()));
      reconcile();
    });
  }

  /** Removes one real server from a managed service. */
  public void removeRealServer(ServiceKey key, RealServer.Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    onScheduler(() -> {
      DesiredService d = requireService(key);
      List<RealServer> list = new ArrayList<>(d.realServers());
      list.removeIf(rs -> rs.endpoint().equals(endpoint));
      services.put(key, new DesiredService(d.service(), list, d.sorryServer(), d.failureMode(), d.quorum()));
      reconcile();
    });
  }

  /** The desired services now. */
  public List<DesiredService> services() {
    return List.copyOf(services.values());
  }

  /** The virtual addresses now. */
  public Set<VirtualAddress> virtualAddresses() {
    return Set.copyOf(virtualAddresses);
  }

  /**
   * Runs a reconcile pass now, for example after a health change. Passes also run every reconcile
   * interval.
   */
  public void reconcileNow() {
    scheduler.execute(this::reconcile);
  }

  private void onRole(RoleChange change) {
    if (!started) {
      return;
    }
    Role old = role;
    role = change.to();
    boolean takingOver = role == Role.MASTER && old != Role.MASTER;
    if (takingOver && heldEvents == null) {
      // The listeners (a log line, a meter) hear of the take-over after its gratuitous ARPs and
      // the election's first advertisement as master, in the order it happened: every client and
      // every other backup waits for those, nobody for the events.
      heldEvents = new ArrayList<>();
    }
    emit(new MemberEvent.RoleChanged(now(), change));
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
    checkLiveMembers();
  }

  /** Emits the events held since a take-over began (and those emitted meanwhile), then logs it. */
  private Runnable releaseHeldEvents(RoleChange change) {
    return () -> {
      List<MemberEvent> held = heldEvents;
      heldEvents = null;
      if (held != null) {
        for (MemberEvent e : held) {
          emit(e);
        }
      }
      log.info("member {}: {}", election.nodeId(), change);
    };
  }

  /** Has the address owner get the next take-over ready (a hot standby's take-over starts warm). */
  private void prepareTakeOver() {
    if (twin) {
      return;
    }
    try {
      addresses.prepare();
    } catch (RuntimeException e) {
      fail("prepare the take-over", e);
    }
    if (REHEARSED.compareAndSet(false, true)) {
      long began = System.nanoTime();
      int done = rehearseTakeOver(REHEARSAL_ROUNDS);
      log.debug("member {}: rehearsed the take-over {} times in {} ms", election.nodeId(), done,
          (System.nanoTime() - began) / 1_000_000);
    }
  }

  /**
   * Runs this member's take-over {@code rounds} times on a twin, so that the real one runs code that
   * is linked and compiled: a hot standby runs it once, when every client waits for it, and the
   * first run of Java code is slow (interpreted, call sites linked, classes loaded). {@link
   * #start()} does it once per JVM, before the election starts.
   *
   * <p>The twin touches nothing: it has this member's virtual addresses but a stand-in election
   * (which makes it master and then backup again), a stand-in address owner that does nothing, no
   * table, sync daemon, application or listeners, a scheduler of its own on this thread, and no log.
   * Call it before {@link #start()} or on this member's scheduler. The election and the address
   * owner rehearse their own parts ({@code VrrpElection}, {@code VipOwner}).
   *
   * @return the rounds in which the twin became master with every virtual address announced
   */
  public int rehearseTakeOver(int rounds) {
    if (rounds < 0) {
      throw new IllegalArgumentException("rounds must be >= 0, was " + rounds);
    }
    RehearsalScheduler s = new RehearsalScheduler();
    List<VirtualAddress> vips = List.copyOf(virtualAddresses);
    int done = 0;
    for (int i = 0; i < rounds; i++) {
      StandInElection e = new StandInElection(election.nodeId(), s);
      StandInOwner o = new StandInOwner();
      Builder b = new Builder(s, e, o).virtualAddresses(vips);
      b.twin = true;
      Member m = new Member(b);
      m.start();
      s.runFor(Duration.ZERO);
      e.become(Role.MASTER, "master-down timer expired", OptionalLong.of(s.clock().nanoTime()));
      s.runFor(Duration.ZERO);
      if (m.role == Role.MASTER && o.announced.containsAll(vips)) {
        done++;
      }
      e.become(Role.BACKUP, "higher priority", OptionalLong.empty());
      m.stop();
      s.runFor(Duration.ZERO);
    }
    return done;
  }

  /** A rehearsal's election: roles on demand, listeners called at once (as on the election's own thread). */
  private static final class StandInElection implements Election {
    private final NodeId nodeId;
    private final Scheduler scheduler;
    private final List<ElectionListener> listeners = new ArrayList<>();
    private Role role = Role.INIT;

    StandInElection(NodeId nodeId, Scheduler scheduler) {
      this.nodeId = nodeId;
      this.scheduler = scheduler;
    }

    void become(Role to, String reason, OptionalLong lostMasterHeardAt) {
      RoleChange change = new RoleChange(role, to, reason, scheduler.clock().nanoTime(), lostMasterHeardAt);
      role = to;
      for (ElectionListener l : listeners) {
        l.onRoleChange(change);
      }
    }

    @Override
    public NodeId nodeId() {
      return nodeId;
    }

    @Override
    public void start() {
      become(Role.BACKUP, "started", OptionalLong.empty());
    }

    @Override
    public void stop() {
      if (role != Role.INIT) {
        become(Role.INIT, "stopped", OptionalLong.empty());
      }
    }

    @Override
    public Role role() {
      return role;
    }

    @Override
    public int effectivePriority() {
      return 100;
    }

    @Override
    public boolean setTracked(Tracked object, boolean up) {
      return false;
    }

    @Override
    public void addListener(ElectionListener listener) {
      listeners.add(listener);
    }

    @Override
    public void close() {
      stop();
    }
  }

  /** A rehearsal's address owner: remembers what it was asked to announce, touches nothing. */
  private static final class StandInOwner implements AddressOwner {
    final Set<VirtualAddress> announced = new HashSet<>();

    @Override
    public void add(VirtualAddress address) {}

    @Override
    public void remove(VirtualAddress address) {}

    @Override
    public List<VirtualAddress> list() {
      return List.of();
    }

    @Override
    public void announce(VirtualAddress address) {
      announced.add(address);
    }

    @Override
    public void close() {}
  }

  private void promote(String reason) {
    long attempt = ++promotion;
    if (standby == StandbyMode.WARM && application != null && !applicationRunning) {
      emit(new MemberEvent.StandbyAction(now(), "start application"));
      CompletionStage<?> stage;
      try {
        stage = application.start();
      } catch (RuntimeException e) {
        fail("start the application", e);
        takeOver(attempt, reason);
        return;
      }
      Cancellable timeout = scheduler.schedule(applicationStartTimeout, () -> {
        log.warn("application did not start within {}; taking the virtual addresses anyway", applicationStartTimeout);
        takeOver(attempt, reason);
      });
      stage.whenComplete((ok, error) -> scheduler.execute(() -> {
        timeout.cancel();
        if (error != null) {
          fail("start the application", error);
        } else {
          applicationRunning = true;
        }
        takeOver(attempt, reason);
      }));
    } else {
      takeOver(attempt, reason);
    }
  }

  private void takeOver(long attempt, String reason) {
    if (attempt != promotion || role != Role.MASTER) {
      return; // demoted meanwhile, or already taken over by the other path
    }
    long taken = ++promotion;
    for (VirtualAddress a : virtualAddresses) {
      acquire(a, "master: ", reason);
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
      reconcile();
    };
  }

  private void demote(String reason) {
    promotion++;
    if (refreshTimer != null) {
      refreshTimer.cancel();
      refreshTimer = null;
    }
    for (VirtualAddress a : List.copyOf(acquired)) {
      release(a, role + ": " + reason);
    }
    runSync(false);
    stopApplication(reason);
  }

  private void stopApplication(String reason) {
    if (standby == StandbyMode.WARM && application != null && applicationRunning) {
      applicationRunning = false;
      emit(new MemberEvent.StandbyAction(now(), "stop application: " + reason));
      try {
        application.stop();
      } catch (RuntimeException e) {
        fail("stop the application", e);
      }
    }
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
      fail("run the sync daemon as " + (master ? "master" : "backup"), e);
    }
  }

  private void checkLiveMembers() {
    if (standby != StandbyMode.COLD || spare == null) {
      return;
    }
    int live = election.liveMembers();
    if (live < minimumLiveMembers && !spareActivated) {
      spareActivated = true;
      emit(new MemberEvent.StandbyAction(now(), "activate spare: " + live + " live < " + minimumLiveMembers));
      try {
        spare.activate(live, minimumLiveMembers);
      } catch (RuntimeException e) {
        fail("activate a spare", e);
      }
    } else if (live >= minimumLiveMembers) {
      spareActivated = false;
    }
  }

  /** Adds and announces {@code a}; the events' reason is {@code prefix + reason}, built after the announcement. */
  private void acquire(VirtualAddress a, String prefix, String reason) {
    try {
      addresses.add(a);
    } catch (RuntimeException e) {
      fail("acquire " + a, e);
      return;
    }
    acquired.add(a);
    // The announcement goes out before the events are emitted, in the same order as ever: their
    // listeners may log, and nothing should stand between the address and its gratuitous ARP.
    @Nullable RuntimeException announceFailure = null;
    try {
      addresses.announce(a);
    } catch (RuntimeException e) {
      announceFailure = e;
    }
    emit(new MemberEvent.AddressAcquired(now(), a));
    if (announceFailure != null) {
      fail("acquire " + a, announceFailure);
    } else {
      emit(new MemberEvent.AddressAnnounced(now(), a, prefix + reason));
    }
  }

  private void release(VirtualAddress a, String reason) {
    try {
      addresses.remove(a);
      if (acquired.remove(a)) {
        emit(new MemberEvent.AddressReleased(now(), a));
      }
      log.debug("released {} ({})", a, reason);
    } catch (RuntimeException e) {
      fail("release " + a, e);
    }
  }

  private void announceAll(String reason) {
    if (role != Role.MASTER) {
      return;
    }
    for (VirtualAddress a : List.copyOf(acquired)) {
      try {
        addresses.announce(a);
        emit(new MemberEvent.AddressAnnounced(now(), a, reason));
      } catch (RuntimeException e) {
        fail("announce " + a, e);
      }
    }
  }

  private void onAddressEvent(AddressEvent e) {
    if (!started) {
      return;
    }
    if (e instanceof AddressEvent.AddressRemoved r) {
      if (role == Role.MASTER && virtualAddresses.contains(r.address())) {
        log.warn("{} was removed behind our back while master; putting it back", r.address());
        acquired.remove(r.address());
        acquire(r.address(), "", "put back after external removal");
      }
    } else if (e instanceof AddressEvent.LinkDown d) {
      election.setTracked(Tracked.networkInterface(d.interfaceName()), false);
    } else if (e instanceof AddressEvent.LinkUp u) {
      election.setTracked(Tracked.networkInterface(u.interfaceName()), true);
    }
  }

  private void reconcile() {
    Reconciler r = reconciler;
    if (r == null || !started) {
      return;
    }
    observeMaster();
    checkLiveMembers();
    try {
      ReconcileReport report = r.reconcile(List.copyOf(services.values()));
      if (!report.ops().isEmpty() || !report.ok()) {
        emit(new MemberEvent.TableReconciled(now(), report));
      }
    } catch (RuntimeException e) {
      fail("reconcile the load-balancer table", e);
    }
  }

  private void observeMaster() {
    availability.masterPresent(role == Role.MASTER || election.masterKnown())
        .ifPresent(gap -> emit(new MemberEvent.MasterRegained(now(), gap)));
  }

  private DesiredService requireService(ServiceKey key) {
    DesiredService d = services.get(Objects.requireNonNull(key, "key"));
    if (d == null) {
      throw new IllegalArgumentException("no managed service " + key);
    }
    return d;
  }

  private void cancelTimers() {
    if (healthSubscription != null) {
      healthSubscription.cancel();
      healthSubscription = null;
    }
    if (reconcileTimer != null) {
      reconcileTimer.cancel();
      reconcileTimer = null;
    }
    if (refreshTimer != null) {
      refreshTimer.cancel();
      refreshTimer = null;
    }
  }

  private void fail(String what, Throwable error) {
    log.warn("member {}: cannot {}: {}", election.nodeId(), what, error.toString());
    emit(new MemberEvent.Failure(now(), what, error));
  }

  private void emit(MemberEvent event) {
    List<MemberEvent> held = heldEvents;
    if (held != null) {
      held.add(event);
      return;
    }
    for (MemberListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("member listener failed on {}", event, e);
      }
    }
  }

  private long now() {
    return scheduler.clock().nanoTime();
  }

  private void onScheduler(Runnable task) {
    scheduler.execute(task);
  }

  /** Settings of a {@link Member}. */
  public static final class Builder {
    private final Scheduler scheduler;
    private final Election election;
    private final AddressOwner addresses;
    private final Set<VirtualAddress> virtualAddresses = new LinkedHashSet<>();
    private final List<DesiredService> services = new ArrayList<>();
    private final List<MemberListener> listeners = new ArrayList<>();
    private @Nullable LoadBalancerTable table;
    private HealthLookup health = HealthLookup.allUp();
    private @Nullable HealthEngine healthEngine;
    private ReconcileOptions reconcileOptions = ReconcileOptions.DEFAULTS;
    private Duration reconcileInterval = Duration.ofSeconds(5);
    private @Nullable ConnectionSync sync;
    private StandbyMode standby = StandbyMode.HOT;
    private @Nullable ApplicationControl application;
    private Duration applicationStartTimeout = Duration.ofSeconds(10);
    private @Nullable SpareActivation spare;
    private int minimumLiveMembers = 2;
    private @Nullable Duration announceRefresh;
    private boolean twin;

    private Builder(Scheduler scheduler, Election election, AddressOwner addresses) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      this.election = Objects.requireNonNull(election, "election");
      this.addresses = Objects.requireNonNull(addresses, "addresses");
    }

    /** The virtual addresses the master owns. */
    public Builder virtualAddresses(Iterable<VirtualAddress> vips) {
      for (VirtualAddress a : vips) {
        virtualAddresses.add(Objects.requireNonNull(a, "virtual address"));
      }
      return this;
    }

    /**
     * The load-balancer table to keep reconciled, and where the health of its real servers comes
     * from (usually the health-check engine).
     */
    public Builder loadBalancer(LoadBalancerTable table, HealthLookup health) {
      this.table = Objects.requireNonNull(table, "table");
      this.health = Objects.requireNonNull(health, "health");
      this.healthEngine = null;
      return this;
    }

    /**
     * The load-balancer table to keep reconciled, following the checks of {@code health}: every
     * change of a real server's health runs a reconcile pass at once (as ldirectord edits the
     * table when a check fails), besides the periodic passes.
     */
    public Builder loadBalancer(LoadBalancerTable table, HealthEngine health) {
      loadBalancer(table, Objects.requireNonNull(health, "health").lookup());
      this.healthEngine = health;
      return this;
    }

    /** A desired virtual service with its real servers. */
    public Builder service(DesiredService service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    public Builder reconcileOptions(ReconcileOptions options) {
      this.reconcileOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** How often the table is checked and repaired; 5 s by default (ldirectord's checkinterval). */
    public Builder reconcileInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("reconcileInterval must be positive, was " + interval);
      }
      this.reconcileInterval = interval;
      return this;
    }

    /** The connection sync daemon to run as master or backup with the role. */
    public Builder connectionSync(ConnectionSync s) {
      this.sync = Objects.requireNonNull(s, "sync");
      return this;
    }

    /** Warm standby: the application runs only on the master. */
    public Builder warmStandby(ApplicationControl app, Duration startTimeout) {
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
      }
      this.standby = StandbyMode.WARM;
      this.application = Objects.requireNonNull(app, "app");
      this.applicationStartTimeout = startTimeout;
      return this;
    }

    /** Cold standby: {@code spare} is activated when fewer than {@code minimum} members live. */
    public Builder coldStandby(SpareActivation spareActivation, int minimum) {
      if (minimum < 1) {
        throw new IllegalArgumentException("minimum must be at least 1, was " + minimum);
      }
      this.standby = StandbyMode.COLD;
      this.spare = Objects.requireNonNull(spareActivation, "spareActivation");
      this.minimumLiveMembers = minimum;
      return this;
    }

    /**
     * Re-announce the virtual addresses this often while master (keepalived's {@code
     * garp_master_refresh}); off by default.
     */
    public Builder announceRefresh(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("announceRefresh must be positive, was " + interval);
      }
      this.announceRefresh = interval;
      return this;
    }

    public Builder listener(MemberListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public Member build() {
      return new Member(this);
    }
  }
}
