package io.ha4j.heartbeat;

import io.ha4j.api.Clock;
import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.Scheduler;
import io.ha4j.api.election.Election;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import io.ha4j.api.election.Tracked;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.api.transport.WitnessTransport;
import io.ha4j.heartbeat.witness.DeathWitness;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master election with the semantics of VRRP (RFC 5798 section 6.4) over authenticated
 * heartbeat advertisements, or over another {@link WireFormat} such as VRRPv3 itself.
 *
 * <p>It owns no thread. Timers run on the given {@link Scheduler}. Received datagrams are screened
 * where the transport hands them over (its receive thread: source, decoding and HMAC, TTL) and
 * queued, bounded, for the same scheduler, so a flood neither grows the heap nor delays the timers
 * by more than a queue's worth. Public methods may be called from any thread: state
 * changes happen under this object's lock, and listeners are always called on the scheduler
 * thread, in order, never under the lock.
 *
 * <p>Beyond RFC 5798:
 *
 * <ul>
 *   <li>Ties between equal priorities go to the higher node id (as the higher primary address in
 *       section 6.4.3, which is what the VRRPv3 wire format compares; see {@link WireFormat#winsTie}).
 *   <li>Split brain: a master that hears a lower-priority master advertises at once (so that the
 *       other one steps down) and fires {@link ElectionListener#onReannounce}, because the
 *       neighbours' ARP caches may point at the other master (keepalived issues #14, #2459). A
 *       master that steps down for a higher one sends one step-down notice (an advertisement with
 *       state BACKUP; backups ignore it), so the winner re-announces even when the loser heard it
 *       first. Both happen at most once per advertisement interval. A master told that another
 *       host claims its address ({@link #probePeers}) advertises every 10 ms until a peer answers,
 *       so that a split brain behind a firewall heals within milliseconds of the firewall's fix.
 *   <li>Stall guard: a master-down timer that fires later than {@link
 *       HeartbeatConfig#stallThreshold()} of the master-down interval means this process stood
 *       still (GC pause, VM steal) and could not hear the master: instead of taking over at once,
 *       it re-arms the timer for one master advertisement interval, during which the datagrams
 *       that piled up in the socket are handled; only if none of them is from a live master does
 *       it take over (keepalived issues #1955, #2271 are false fail-overs from stale timers).
 *   <li>Duplicate node ids: an advertisement under our own id with another incarnation is from
 *       another member configured with the same id; it is logged at ERROR (at most once a
 *       minute), counted ({@link HeartbeatStats#duplicateNodeIds()}), and treated as a peer's, a
 *       tie of priorities going to the higher incarnation, so that the pair ends with one master.
 *   <li>FAULT: a tracked object with weight 0 that is down; a master leaving for FAULT sends a
 *       priority-0 advertisement first. When the fault clears the member starts over as in
 *       section 6.4.1.
 *   <li>Preempt delay: for {@link HeartbeatConfig#preemptDelay()} after a start, a backup accepts
 *       a lower-priority master as if preemption were off.
 *   <li>Death witness (with a {@link WitnessTransport}): a backup whose master's process died,
 *       as the master's kernel tells by closing their connection without a goodbye and refusing a
 *       new one, takes over after {@code (255 - priority) *} {@link
 *       HeartbeatConfig#witnessStagger()} instead of the master-down interval; nothing else is
 *       concluded from it (package {@code io.ha4j.heartbeat.witness}).
 * </ul>
 */
public final class VrrpElection implements Election {

  private final Logger log;

  private final HeartbeatConfig config;
  private final DatagramTransport transport;
  private final Clock clock;
  private final String name;
  private final TrackedPriority tracked;
  private final Advertiser advertiser;
  private final ReceivePath receivePath;
  private final KeyRetirement retirement;
  private final @Nullable FreshnessProof freshness;
  private final Intake intake;
  private final DuplicateNodeIds duplicates;
  private final ListenerDispatch listeners;
  private final ElectionTimer timer;
  private final Promotion promotion;
  private final StallGuard stalls;
  private final BackupState backup;
  private final MasterState master;
  private final PeerProbe probe;
  private final LogThrottle conflictLines = new LogThrottle(ReceivePath.WARNING_INTERVAL_NANOS);
  private final @Nullable DeathWitness witness;

  private volatile Role role = Role.INIT;

  // Guarded by this.
  private final HeardMembers heard = new HeardMembers();
  private boolean transportStarted;
  /** Counts role changes, so that a task queued for one role does not act in a later one. */
  private long roleEpoch;

  /**
   * An election for {@code config}, sending ha4j's authenticated advertisements ({@link
   * WireFormat#authenticated}) through {@code transport}, timed by {@code scheduler}.
   */
  public VrrpElection(HeartbeatConfig config, DatagramTransport transport, Scheduler scheduler) {
    this(config, WireFormat.authenticated(Objects.requireNonNull(config, "config")), transport, scheduler);
  }

  /**
   * As {@link #VrrpElection(HeartbeatConfig, DatagramTransport, Scheduler)}, with a death witness
   * over {@code witness} unless {@link HeartbeatConfig#witness()} is off: a backup takes over
   * within milliseconds when its master's process dies while its host stays up (package {@code
   * io.ha4j.heartbeat.witness}).
   */
  public VrrpElection(HeartbeatConfig config, DatagramTransport transport, WitnessTransport witness,
      Scheduler scheduler) {
    this(config, WireFormat.authenticated(Objects.requireNonNull(config, "config")), transport,
        Objects.requireNonNull(witness, "witness"), scheduler, LoggerFactory.getLogger(VrrpElection.class));
  }

  /**
   * An election for {@code config} whose advertisements are encoded and decoded by {@code
   * wireFormat} (for example VRRPv3, {@code io.ha4j.heartbeat.vrrp.VrrpWireFormat}), sent through
   * {@code transport}, timed by {@code scheduler}.
   */
  public VrrpElection(
      HeartbeatConfig config, WireFormat wireFormat, DatagramTransport transport, Scheduler scheduler) {
    this(config, wireFormat, transport, scheduler, LoggerFactory.getLogger(VrrpElection.class));
  }

  /**
   * As {@link #VrrpElection(HeartbeatConfig, WireFormat, DatagramTransport, Scheduler)}, writing its
   * log lines to {@code log} instead of the logger of {@code io.ha4j.heartbeat.VrrpElection}: a
   * director with several instances may name each; a throwaway election (a warm-up) passes {@code
   * NOPLogger.NOP_LOGGER}.
   */
  public VrrpElection(HeartbeatConfig config, WireFormat wireFormat, DatagramTransport transport,
      Scheduler scheduler, Logger log) {
    this(config, wireFormat, transport, null, scheduler, log);
  }

  /**
   * As {@link #VrrpElection(HeartbeatConfig, WireFormat, DatagramTransport, Scheduler, Logger)},
   * with a death witness over {@code witness} when it is given, {@link HeartbeatConfig#witness()}
   * is on and the wire format is ha4j's (VRRPv3 peers do not speak the witness protocol).
   */
  public VrrpElection(HeartbeatConfig config, WireFormat wireFormat, DatagramTransport transport,
      @Nullable WitnessTransport witness, Scheduler scheduler, Logger log) {
    this.log = Objects.requireNonNull(log, "log");
    this.config = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(wireFormat, "wireFormat");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.clock = Objects.requireNonNull(scheduler, "scheduler").clock();
    this.name = config.nodeId() + "/group " + config.groupId();
    byte[] vipDigest = wireFormat.vipDigest(config.virtualAddresses());
    this.tracked = new TrackedPriority(config.priority(), config.trackWeights());
    this.advertiser = new Advertiser(config, wireFormat, vipDigest, transport, name, log);
    this.retirement = new KeyRetirement(config, clock);
    this.freshness = wireFormat instanceof AuthenticatedWireFormat authenticated
        ? new FreshnessProof(config, authenticated, transport, clock, this::answerToChallenge, name, log)
        : null;
    this.receivePath = new ReceivePath(wireFormat, vipDigest, retirement, freshness, name, log);
    this.intake = new Intake(config, wireFormat.screeningCopy(), receivePath, advertiser, scheduler, this::onScreened);
    this.duplicates = new DuplicateNodeIds(name, log);
    this.listeners = new ListenerDispatch(scheduler, name, log);
    this.timer = new ElectionTimer(this, scheduler, listeners, this::timerExpired);
    this.promotion = new Promotion(config, scheduler, this, name, () -> role == Role.BACKUP, this::becomeMaster, log);
    this.stalls = new StallGuard(config.stallThreshold());
    this.backup = new BackupState(config, clock, timer, tracked, heard, promotion, stalls, this::promote, freshness, name, log);
    this.master = new MasterState(config, clock, wireFormat, timer, tracked, advertiser, listeners, stalls, backup,
        reason -> setRole(Role.BACKUP, reason), name, log);
    this.probe = new PeerProbe(scheduler, this, () -> role == Role.MASTER,
        () -> advertiser.send(tracked.effective(), Role.MASTER));
    this.witness = witness != null && config.witness() && wireFormat instanceof AuthenticatedWireFormat
        ? new DeathWitness(config, witness, scheduler, this, () -> role, advertiser::incarnation, retirement::retired,
            this::masterProcessDied, name, log)
        : null;
  }

  /** Skew_Time of RFC 5798 section 6.1: {@code ((256 - priority) * masterAdverInterval) / 256}. */
  public static Duration skewTime(int priority, Duration masterAdverInterval) {
    return Duration.ofNanos(skewNanos(priority, masterAdverInterval.toNanos()));
  }

  /** Master_Down_Interval of RFC 5798 section 6.1: {@code 3 * masterAdverInterval + skew}. */
  public static Duration masterDownInterval(int priority, Duration masterAdverInterval) {
    return Duration.ofNanos(masterDownNanos(priority, masterAdverInterval.toNanos()));
  }

  static long skewNanos(int priority, long adverNanos) {
    return (256 - priority) * adverNanos / 256;
  }

  static long masterDownNanos(int priority, long adverNanos) {
    return 3 * adverNanos + skewNanos(priority, adverNanos);
  }

  /** The configuration. */
  public HeartbeatConfig config() {
    return config;
  }

  @Override
  public NodeId nodeId() {
    return config.nodeId();
  }

  @Override
  public Role role() {
    return role;
  }

  @Override
  public int effectivePriority() {
    return tracked.effective();
  }

  /**
   * This member is master, or it is a backup that heard a master advertise within the
   * master-down interval of that master's advertisement interval.
   */
  @Override
  public synchronized boolean masterKnown() {
    if (role == Role.MASTER) {
      return true;
    }
    return role == Role.BACKUP && heard.masterHeardWithin(clock.nanoTime(), tracked.effective());
  }

  /**
   * This member plus the members heard within the master-down interval. With VRRP semantics only
   * masters (and leaving masters) advertise, so a backup counts itself and the master it hears:
   * silent backups are invisible, and a cold-standby threshold should be set with that in mind.
   */
  @Override
  public synchronized int liveMembers() {
    long mai = backup.masterAdverNanos();
    long window = masterDownNanos(tracked.effective(), mai > 0 ? mai : config.advertisementInterval().toNanos());
    return heard.liveMembers(clock.nanoTime(), window);
  }

  /** The counters: received, accepted, dropped per reason, sent, stalls. */
  public HeartbeatStats stats() {
    return receivePath.stats(advertiser.sent(), stalls.count(), duplicates.count());
  }

  /** The freshness proofs: challenges and responses sent, incarnations proven (none for VRRPv3). */
  public ProofStats proofStats() {
    FreshnessProof f = freshness;
    return f == null ? new ProofStats(0, 0, 0) : f.stats();
  }

  /** The master this backup's death witness watches now; null without one or when watching none. */
  synchronized @Nullable NodeId witnessWatched() {
    DeathWitness w = witness;
    return w == null ? null : w.watched();
  }

  /** The death witness's counters ({@link WitnessStats#NONE} without one). */
  public synchronized WitnessStats witnessStats() {
    DeathWitness w = witness;
    return w == null ? WitnessStats.NONE : w.stats();
  }

  /**
   * Stops accepting key {@code keyId} at once: the end of a rollover, once every member signs with
   * the new key. Advertisements signed with it are dropped as {@link DropReason#RETIRED_KEY}.
   *
   * @throws IllegalArgumentException if the key is not configured or is the one this member signs with
   */
  public void retireKey(int keyId) {
    retireKey(keyId, Duration.ZERO);
  }

  /**
   * Stops accepting key {@code keyId} once {@code after} has passed on the scheduler's clock (a
   * rollover's deadline); an earlier deadline set before stays.
   *
   * @throws IllegalArgumentException if the key is not configured, is the one this member signs
   *     with, or {@code after} is negative
   */
  public void retireKey(int keyId, Duration after) {
    retirement.retire(keyId, after);
    log.info("{}: key {} retired {}", name, keyId, after.isZero() ? "now" : "in " + after);
  }

  /**
   * Another host claims one of this member's addresses ({@code why} says which and who: the VIP
   * owner heard its ARP or neighbour advertisement). For a master that means a split brain whose
   * election traffic is blocked while ARP flows, or a misconfigured host: it logs one ERROR line
   * (at most one a minute) and sends its advertisement every 10 ms until a peer's advertisement
   * arrives (every 50 ms once 10 s have passed since the last call; see {@link PeerProbe}), so that the heal is
   * noticed within milliseconds; the next re-announcement is not held back by one made earlier.
   * Ignored unless master.
   */
  public synchronized void probePeers(String why) {
    Objects.requireNonNull(why, "why");
    if (role != Role.MASTER) {
      log.debug("{}: {}; not master, nothing to probe", name, why);
      return;
    }
    master.allowReannounce();
    boolean started = probe.start();
    long held = conflictLines.admit(clock.nanoTime());
    if (held >= 0) {
      log.error("{}: {}: another host claims our address (split brain, election traffic blocked?); "
          + "probing the peers every {} ms for {} s, then every {} ms until one answers{}", name, why,
          PeerProbe.PERIOD.toMillis(), PeerProbe.WINDOW.toSeconds(), PeerProbe.LATE_PERIOD.toMillis(), held > 0 ? " (" + held + " more conflicts since the last line)" : "");
    } else if (started) {
      log.debug("{}: {}; probing the peers again", name, why);
    }
  }

  /** Advertisements sent by {@link #probePeers} so far. */
  public synchronized long peerProbes() {
    return probe.sent();
  }

  @Override
  public void addListener(ElectionListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public synchronized void start() {
    if (role != Role.INIT) {
      return;
    }
    advertiser.newIncarnation();
    if (freshness != null) {
      freshness.reset();
    }
    if (!transportStarted) {
      transportStarted = true;
      transport.start(intake);
    }
    if (witness != null) {
      witness.start();
    }
    initialize("started");
  }

  @Override
  public synchronized void stop() {
    if (role != Role.INIT) {
      // What this run received and dropped (a flood shows here), for the operator's last look.
      log.info("{}: stopping; {}", name, stats());
    }
    state().shutdown();
    setRole(Role.INIT, "stopped");
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public boolean setTracked(Tracked object, boolean up) {
    Objects.requireNonNull(object, "object");
    synchronized (this) {
      Integer weight = tracked.weight(object);
      if (weight == null) {
        log.debug("{}: {} is {}, not tracked", name, object, up ? "up" : "down");
        return false;
      }
      int before = tracked.effective();
      if (!tracked.set(object, up)) {
        return true;
      }
      String what = "tracked " + object + " is " + (up ? "up" : "down") + " (weight " + weight + ")";
      if (role == Role.INIT) {
        return true;
      }
      if (role == Role.FAULT) {
        if (!tracked.faulted()) {
          initialize(what);
        }
      } else if (tracked.faulted()) {
        enterFault(what);
      } else if (before != tracked.effective()) {
        log.info("{}: priority {} -> {}: {}", name, before, tracked.effective(), what);
        if (role == Role.MASTER) {
          // Tell the backups at once, so that one with a higher priority now can preempt.
          master.advertise();
        }
      }
      return true;
    }
  }

  // ---- events, to the current state's handlers ----------------------------------------------

  /** A datagram that passed the {@link Intake}'s screen, on the scheduler. */
  private void onScreened(Intake.Screened screened) {
    try {
      synchronized (this) {
        handle(screened);
      }
    } catch (RuntimeException e) {
      receivePath.failed(screened.datagram(), e);
    }
  }

  private void handle(Intake.Screened screened) {
    Datagram d = screened.datagram();
    if (role == Role.INIT) {
      receivePath.drop(DropReason.NOT_RUNNING, d);
      return;
    }
    Advertisement ad = receivePath.accept(d, screened.valid());
    if (ad == null) {
      return;
    }
    if (screened.duplicateNodeId()) {
      duplicates.heard(ad, d, advertiser.incarnation(), clock.nanoTime());
    }
    log.trace("{}: {} {} from {}", name, role, ad, d.source());
    // The transport's arrival time, not the time this thread got to it: RFC 5798 resets the
    // Master_Down_Timer when the advertisement is received, and a queue in between must not
    // lengthen the take-over.
    long now = clock.nanoTime();
    long rx = d.receivedAtNanos();
    long heardNanos = rx > 0 && rx - now <= 0 ? rx : now;
    heard.heard(ad, heardNanos);
    probe.stop();
    receivePath.compareVipDigest(ad, now);
    state().received(ad, now - heardNanos);
    if (witness != null && ad.state() == Role.MASTER && ad.priority() > 0) {
      witness.follow(ad.nodeId(), ad.incarnation(), d.source().getAddress());
    }
  }

  /** The death witness's verdict, under the lock: the master this backup watches died. */
  private void masterProcessDied(NodeId master) {
    DeathWitness w = witness;
    if (role == Role.BACKUP && w != null && master.equals(w.watched())) {
      backup.masterProcessDied(master);
    }
  }

  /** Our next advertisement, to answer a freshness challenge with; null unless master or backup. */
  private @Nullable Advertisement answerToChallenge() {
    return role == Role.MASTER || role == Role.BACKUP ? advertiser.next(tracked.effective(), role) : null;
  }

  private void timerExpired(long lateNanos) {
    state().timerExpired(lateNanos);
  }

  /**
   * The state table (keepalived's FSM): the handlers of RFC 5798 section 6.4's states, and of
   * FAULT from tracked objects as keepalived has it. INIT sees no advertisement at all (the
   * receive path drops them as NOT_RUNNING); 6.4.1 Initialize is the transition initialize().
   */
  private ElectionState state() {
    return switch (role) {
      case INIT, FAULT -> ElectionState.IDLE;
      case BACKUP -> backup;
      case MASTER -> master;
    };
  }

  // ---- RFC 5798 section 6.4.1: Initialize -------------------------------------------------

  private void initialize(String reason) {
    backup.startPreemptDelay();
    if (tracked.faulted()) {
      setRole(Role.FAULT, reason + "; a weight-0 tracked object is down");
      return;
    }
    backup.resetMasterAdverInterval();
    if (tracked.effective() == HeartbeatConfig.OWNER_PRIORITY) {
      promote("address owner (priority 255), " + reason);
      return;
    }
    backup.armMasterDownTimer();
    setRole(Role.BACKUP, reason);
  }

  // ---- RFC 5798 section 6.4.2: Backup (BackupState), and its way to Master -------------------
  // (Section 6.4.3, Master, is MasterState; it steps down to Backup through setRole.)

  private void promote(String reason) {
    if (!promotion.hasHook()) {
      becomeMaster(reason);
      return;
    }
    timer.cancel();
    setRole(Role.BACKUP, reason + ", preparing to become master");
    promotion.begin(reason);
  }

  private void becomeMaster(String reason) {
    // RFC 5798 6.4.1 / 6.4.2: send an ADVERTISEMENT, set the Adver_Timer, transition to Master.
    // The gratuitous ARP is the listener's job (onRoleChange), and it goes first, as in
    // keepalived (vrrp_state_master_tx): the clients wait for it, while the other backups' timers
    // run from the lost master's last advertisement and are not reset any sooner by ours.
    timer.cancel();
    OptionalLong lost = backup.takeLostMaster();
    long epoch = roleEpoch + 1;
    setRole(Role.MASTER, reason, lost, () -> firstAdvertisement(epoch));
  }

  private synchronized void firstAdvertisement(long epoch) {
    if (epoch != roleEpoch || role != Role.MASTER) {
      return; // left MASTER meanwhile; that transition sent what it had to
    }
    master.advertise();
  }

  // ---- FAULT (from tracked objects, as keepalived) -----------------------------------------

  private void enterFault(String reason) {
    timer.cancel();
    if (role == Role.MASTER) {
      advertiser.send(0, Role.FAULT);
    }
    promotion.abort(reason);
    setRole(Role.FAULT, reason);
  }

  // ---- transitions ------------------------------------------------------------------------

  private void setRole(Role to, String reason) {
    setRole(to, reason, OptionalLong.empty(), null);
  }

  /** Changes the role; {@code next} runs after the listeners' calls (at once without listeners). */
  private void setRole(Role to, String reason, OptionalLong lostMasterHeardAtNanos, @Nullable Runnable next) {
    Role from = role;
    if (from == to) {
      return;
    }
    if (to != Role.MASTER) {
      backup.forgetLostMaster();
    }
    role = to;
    roleEpoch++;
    DeathWitness w = witness;
    if (w != null && to != Role.MASTER) {
      w.roleChanged(to); // at once: a stop's goodbyes must leave before the transport closes
    }
    RoleChange change = new RoleChange(from, to, reason, clock.nanoTime(), lostMasterHeardAtNanos);
    listeners.roleChanged(change);
    if (next != null) {
      listeners.then(next);
    }
    // At a take-over the witness's turn comes after the listeners': stopping the watch of the lost
    // master (after a host death, its connection to a host that no longer answers) delayed the
    // gratuitous ARP and the advertisement by 0.7 ms.
    if (w != null && to == Role.MASTER) {
      listeners.afterTheirTurn(() -> {
        synchronized (this) {
          w.roleChanged(to);
        }
      });
    }
    // Logged after the listeners' turn: a take-over's gratuitous ARP and advertisement should not
    // wait for a log line.
    int priority = tracked.effective();
    listeners.afterTheirTurn(() -> log.info("{}: {} (priority {})", name, change, priority));
  }

  @Override
  public String toString() {
    return "VrrpElection[" + name + ", " + role + ", priority " + tracked.effective() + "]";
  }
}
