package io.ha4j.heartbeat;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Clock;
import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.Scheduler;
import io.ha4j.api.election.Election;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import io.ha4j.api.election.Tracked;
import io.ha4j.api.internal.RehearsalScheduler;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.heartbeat.internal.ReplayWindow;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * A master election with the semantics of VRRP (RFC 5798 section 6.4) over authenticated
 * heartbeat advertisements, or over another {@link WireFormat} such as VRRPv3 itself.
 *
 * <p>It owns no thread. Timers run on the given {@link Scheduler}, and the transport hands it
 * received datagrams on the same scheduler. Public methods may be called from any thread: state
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
 *       first. Both happen at most once per advertisement interval.
 *   <li>Stall guard: a master-down timer that fires later than {@link
 *       HeartbeatConfig#stallThreshold()} of the master-down interval means this process stood
 *       still (GC pause, VM steal) and could not hear the master: instead of taking over at once,
 *       it re-arms the timer for one master advertisement interval, during which the datagrams
 *       that piled up in the socket are handled; only if none of them is from a live master does
 *       it take over (keepalived issues #1955, #2271 are false fail-overs from stale timers).
 *   <li>FAULT: a tracked object with weight 0 that is down; a master leaving for FAULT sends a
 *       priority-0 advertisement first. When the fault clears the member starts over as in
 *       section 6.4.1.
 *   <li>Preempt delay: for {@link HeartbeatConfig#preemptDelay()} after a start, a backup accepts
 *       a lower-priority master as if preemption were off.
 * </ul>
 */
public final class VrrpElection implements Election {

  private static final Logger LOG = LoggerFactory.getLogger(VrrpElection.class);
  /**
   * Rounds of the take-over rehearsal, once per JVM: everything gets linked and loaded, and what
   * runs several times a round compiled. (At a JVM's start the JIT raises its thresholds with its
   * queue; 1,500 rounds, which compiled the rest too, gained nothing measurable in the fail-over
   * bench and took longer.)
   */
  private static final int REHEARSAL_ROUNDS = 300;
  private static final AtomicBoolean REHEARSED = new AtomicBoolean();

  private final HeartbeatConfig config;
  private final DatagramTransport transport;
  private final Scheduler scheduler;
  private final Clock clock;
  private final WireFormat wireFormat;
  private final byte[] vipDigest;
  private final ReplayWindow replay = new ReplayWindow();
  private final List<ElectionListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<Tracked, Boolean> trackedUp = new HashMap<>();
  private final Set<NodeId> vipMismatchWarned = new HashSet<>();
  private final String name;
  /** A rehearsal's twin logs nothing and rehearses nothing itself. */
  private final boolean twin;
  private final Logger log;

  private final AtomicLong received = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong vipMismatches = new AtomicLong();
  private final AtomicLong stalls = new AtomicLong();
  private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);

  private volatile Role role = Role.INIT;
  private volatile int effectivePriority;

  // Guarded by this.
  private boolean transportStarted;
  private long lastIncarnation = Long.MIN_VALUE;
  private long incarnation;
  private long sequence;
  private long masterAdverNanos;
  private final Map<NodeId, Long> heardAt = new HashMap<>();
  private long lastMasterHeardNanos;
  /** When the master this member is taking over from was last heard; empty unless it fell silent or left. */
  private OptionalLong lostMasterHeardAt = OptionalLong.empty();
  private long lastMasterAdverNanos;
  private long preemptAllowedAtNanos;
  private final Timer masterDownTimer = new Timer(this::masterDownExpired, true);
  private final Timer adverTimer = new Timer(this::adverTimerExpired, false);
  /** Counts role changes, so that a task queued for one role does not act in a later one. */
  private long roleEpoch;
  private static final String MASTER_DOWN = "master-down timer expired";
  private String masterDownReason = MASTER_DOWN;
  private boolean reannounced;
  private long lastReannounceNanos;
  private boolean promoting;
  private long promotionToken;
  private @Nullable Cancellable promotionTimeout;
  /** Listener calls queued on the scheduler and not yet run: a later call may only go inline when none is. */
  private final AtomicInteger undelivered = new AtomicInteger();
  /** Set while a timer expires on the scheduler's thread: what runs once the timer has left the lock. */
  private @Nullable List<Runnable> afterLock;

  /**
   * An election for {@code config}, sending ha4j's authenticated advertisements ({@link
   * WireFormat#authenticated}) through {@code transport}, timed by {@code scheduler}.
   */
  public VrrpElection(HeartbeatConfig config, DatagramTransport transport, Scheduler scheduler) {
    this(config, WireFormat.authenticated(Objects.requireNonNull(config, "config")), transport, scheduler);
  }

  /**
   * An election for {@code config} whose advertisements are encoded and decoded by {@code
   * wireFormat} (for example VRRPv3, {@code io.ha4j.heartbeat.vrrp.VrrpWireFormat}), sent through
   * {@code transport}, timed by {@code scheduler}.
   */
  public VrrpElection(
      HeartbeatConfig config, WireFormat wireFormat, DatagramTransport transport, Scheduler scheduler) {
    this(config, wireFormat, transport, scheduler, false);
  }

  private VrrpElection(HeartbeatConfig config, WireFormat wireFormat, DatagramTransport transport,
      Scheduler scheduler, boolean twin) {
    this.twin = twin;
    this.log = twin ? NOPLogger.NOP_LOGGER : LOG;
    this.config = Objects.requireNonNull(config, "config");
    this.wireFormat = Objects.requireNonNull(wireFormat, "wireFormat");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = scheduler.clock();
    this.vipDigest = wireFormat.vipDigest(config.virtualAddresses());
    config.trackWeights().keySet().forEach(n -> trackedUp.put(n, true));
    this.masterAdverNanos = config.advertisementInterval().toNanos();
    this.effectivePriority = computePriority();
    this.name = config.nodeId() + "/group " + config.groupId();
  }

  /** Skew_Time of RFC 5798 section 6.1: {@code ((256 - priority) * masterAdverInterval) / 256}. */
  public static Duration skewTime(int priority, Duration masterAdverInterval) {
    return Duration.ofNanos(skewNanos(priority, masterAdverInterval.toNanos()));
  }

  /** Master_Down_Interval of RFC 5798 section 6.1: {@code 3 * masterAdverInterval + skew}. */
  public static Duration masterDownInterval(int priority, Duration masterAdverInterval) {
    return Duration.ofNanos(masterDownNanos(priority, masterAdverInterval.toNanos()));
  }

  private static long skewNanos(int priority, long adverNanos) {
    return (256 - priority) * adverNanos / 256;
  }

  private static long masterDownNanos(int priority, long adverNanos) {
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
    return effectivePriority;
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
    return role == Role.BACKUP && lastMasterAdverNanos > 0
        && clock.nanoTime() - lastMasterHeardNanos <= masterDownNanos(effectivePriority, lastMasterAdverNanos);
  }

  /**
   * This member plus the members heard within the master-down interval. With VRRP semantics only
   * masters (and leaving masters) advertise, so a backup counts itself and the master it hears:
   * silent backups are invisible, and a cold-standby threshold should be set with that in mind.
   */
  @Override
  public synchronized int liveMembers() {
    long now = clock.nanoTime();
    long window = masterDownNanos(effectivePriority, masterAdverNanos > 0 ? masterAdverNanos
        : config.advertisementInterval().toNanos());
    heardAt.values().removeIf(t -> now - t > window);
    return 1 + heardAt.size();
  }

  /** The counters: received, accepted, dropped per reason, sent, stalls. */
  public HeartbeatStats stats() {
    EnumMap<DropReason, Long> d = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      d.put(r, dropped.get(r.ordinal()));
    }
    return new HeartbeatStats(received.get(), accepted.get(), d, sent.get(), vipMismatches.get(), stalls.get());
  }

  @Override
  public void addListener(ElectionListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void start() {
    if (!twin && REHEARSED.compareAndSet(false, true)) {
      long began = System.nanoTime();
      int done = rehearseTakeOver(REHEARSAL_ROUNDS);
      log.debug("{}: rehearsed the take-over {} times in {} ms", name, done, (System.nanoTime() - began) / 1_000_000);
    }
    synchronized (this) {
      if (role != Role.INIT) {
        return;
      }
      incarnation = Math.max(config.incarnations().getAsLong(), lastIncarnation + 1);
      lastIncarnation = incarnation;
      sequence = 0;
      if (!transportStarted) {
        transportStarted = true;
        transport.start(this::onDatagram);
      }
      initialize("started");
    }
  }

  /**
   * Runs this election's take-over {@code rounds} times on a twin, so that the real one runs code
   * that is linked and compiled: a backup runs it once, when every client waits for it, and the
   * first run of Java code is slow (interpreted, call sites linked, classes loaded). The first
   * {@link #start()} in a JVM does it once.
   *
   * <p>The twin has this election's configuration and wire format, but sends into a sink, keeps
   * time on a scheduler of its own (on this thread), runs no before-master hook, asks for no
   * incarnation and logs nothing: it starts as backup, hears nobody, becomes master when its
   * master-down timer expires, advertises twice and stops (a priority-0 advertisement).
   *
   * @return the rounds in which the twin became master and advertised
   */
  public int rehearseTakeOver(int rounds) {
    if (rounds < 0) {
      throw new IllegalArgumentException("rounds must be >= 0, was " + rounds);
    }
    HeartbeatConfig c = config;
    HeartbeatConfig twinConfig = new HeartbeatConfig(c.clusterId(), c.groupId(), c.nodeId(), c.priority(),
        c.advertisementInterval(), c.preempt(), Duration.ZERO, c.keys(), c.destinations(), c.trackWeights(),
        c.virtualAddresses(), c.stallThreshold(), BeforeMaster.NONE, c.beforeMasterTimeout(), () -> 1L,
        c.advertisementCopies());
    Duration untilMaster = masterDownInterval(c.priority(), c.advertisementInterval());
    RehearsalScheduler s = new RehearsalScheduler();
    long[] sent = new long[1];
    DatagramTransport sink = new DatagramTransport() {
      @Override
      public void start(Consumer<Datagram> receiver) {}

      @Override
      public void send(InetSocketAddress destination, ByteBuffer payload) {
        sent[0]++;
      }

      @Override
      public void close() {}
    };
    ElectionListener listener = change -> { };
    int done = 0;
    for (int i = 0; i < rounds; i++) {
      VrrpElection t = new VrrpElection(twinConfig, wireFormat, sink, s, true);
      t.addListener(listener);
      t.start();
      s.runFor(untilMaster);
      long before = sent[0];
      s.runFor(c.advertisementInterval());
      if (t.role() == Role.MASTER && sent[0] > before) {
        done++;
      }
      t.stop();
      s.runFor(Duration.ZERO);
    }
    return done;
  }

  @Override
  public void stop() {
    synchronized (this) {
      switch (role) {
        case INIT -> {
          return;
        }
        case MASTER -> {
          // RFC 5798 6.4.3: cancel the Adver_Timer, send an ADVERTISEMENT with priority 0.
          adverTimer.cancel();
          sendAdvertisement(0, Role.INIT);
        }
        case BACKUP -> {
          // RFC 5798 6.4.2: cancel the Master_Down_Timer.
          masterDownTimer.cancel();
          abortPromotion("stopped");
        }
        case FAULT -> { }
      }
      setRole(Role.INIT, "stopped");
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public boolean setTracked(Tracked object, boolean up) {
    Objects.requireNonNull(object, "object");
    synchronized (this) {
      Integer weight = config.trackWeights().get(object);
      if (weight == null) {
        log.debug("{}: {} is {}, not tracked", name, object, up ? "up" : "down");
        return false;
      }
      Boolean was = trackedUp.put(object, up);
      if (was != null && was == up) {
        return true;
      }
      int before = effectivePriority;
      effectivePriority = computePriority();
      String what = "tracked " + object + " is " + (up ? "up" : "down") + " (weight " + weight + ")";
      if (role == Role.INIT) {
        return true;
      }
      if (role == Role.FAULT) {
        if (!faulted()) {
          initialize(what);
        }
      } else if (faulted()) {
        enterFault(what);
      } else if (before != effectivePriority) {
        log.info("{}: priority {} -> {}: {}", name, before, effectivePriority, what);
        if (role == Role.MASTER) {
          // Tell the backups at once, so that one with a higher priority now can preempt.
          sendAdvertisement(effectivePriority, Role.MASTER);
          adverTimer.arm(config.advertisementInterval().toNanos());
        }
      }
      return true;
    }
  }

  // ---- RFC 5798 section 6.4.1: Initialize -------------------------------------------------

  private void initialize(String reason) {
    preemptAllowedAtNanos = clock.nanoTime() + config.preemptDelay().toNanos();
    if (faulted()) {
      setRole(Role.FAULT, reason + "; a weight-0 tracked object is down");
      return;
    }
    masterAdverNanos = config.advertisementInterval().toNanos();
    if (effectivePriority == HeartbeatConfig.OWNER_PRIORITY) {
      promote("address owner (priority 255), " + reason);
      return;
    }
    masterDownTimer.arm(masterDownNanos(effectivePriority, masterAdverNanos));
    masterDownReason = MASTER_DOWN;
    setRole(Role.BACKUP, reason);
    encodeAheadOfTakeOver();
  }

  /**
   * Encodes a master's advertisement once and throws it away. A backup sends nothing, so its first
   * advertisement as master would otherwise run cold code (class loading, the authenticator's
   * first use) between the master-down timer and the take-over.
   */
  private void encodeAheadOfTakeOver() {
    firstAdvertisement(-1); // links the lambda (its class is spun at the first call) without running it
    Advertisement ad = new Advertisement(config.clusterId(), config.groupId(), config.nodeId(), effectivePriority,
        Role.MASTER, config.advertisementInterval(), incarnation, sequence + 1, vipDigest);
    for (InetSocketAddress dest : config.destinations()) {
      try {
        wireFormat.encode(ad, dest);
      } catch (RuntimeException e) {
        log.debug("{}: encoding an advertisement ahead of a take-over failed: {}", name, e.toString());
      }
    }
  }

  // ---- receive path ---------------------------------------------------------------------

  private void onDatagram(Datagram datagram) {
    received.incrementAndGet();
    try {
      synchronized (this) {
        handle(datagram);
      }
    } catch (RuntimeException e) {
      drop(DropReason.INTERNAL_ERROR, datagram);
      log.error("{}: handling a datagram from {} failed", name, datagram.source(), e);
    }
  }

  private void handle(Datagram d) {
    if (role == Role.INIT) {
      drop(DropReason.NOT_RUNNING, d);
      return;
    }
    AdvertisementCodec.Decoded decoded = wireFormat.decode(d);
    if (decoded instanceof AdvertisementCodec.Rejected r) {
      drop(r.reason(), d);
      return;
    }
    Advertisement ad = ((AdvertisementCodec.Valid) decoded).advertisement();
    if (d.ttl() >= 0 && d.ttl() != 255) {
      drop(DropReason.BAD_TTL, d);
      return;
    }
    if (ad.nodeId().equals(config.nodeId())) {
      drop(DropReason.OWN_NODE_ID, d);
      return;
    }
    if (wireFormat.replayProtected() && !replay.accept(ad.nodeId(), ad.incarnation(), ad.sequence())) {
      drop(DropReason.REPLAYED, d);
      return;
    }
    accepted.incrementAndGet();
    log.trace("{}: {} {} from {}", name, role, ad, d.source());
    // The transport's arrival time, not the time this thread got to it: RFC 5798 resets the
    // Master_Down_Timer when the advertisement is received, and a queue in between must not
    // lengthen the take-over.
    long now = clock.nanoTime();
    long rx = d.receivedAtNanos();
    long heard = rx > 0 && rx - now <= 0 ? rx : now;
    heardAt.put(ad.nodeId(), heard);
    if (ad.state() == Role.MASTER && ad.priority() > 0) {
      lastMasterHeardNanos = heard;
      lastMasterAdverNanos = ad.interval().toNanos();
    }
    if (!ad.vipDigestEquals(vipDigest)) {
      vipMismatches.incrementAndGet();
      if (vipMismatchWarned.add(ad.nodeId())) {
        log.warn("{}: {} advertises a different virtual address set (RFC 5798 section 7.1: logged, not dropped)",
            name, ad.nodeId());
      }
    }
    switch (role) {
      case BACKUP -> advertisementAsBackup(ad, now - heard);
      case MASTER -> advertisementAsMaster(ad);
      case INIT, FAULT -> { }
    }
  }

  private void drop(DropReason reason, Datagram d) {
    dropped.incrementAndGet(reason.ordinal());
    log.trace("{}: dropped datagram from {} ({} bytes): {}", name, d.source(), d.payload().remaining(), reason);
  }

  // ---- RFC 5798 section 6.4.2: Backup ---------------------------------------------------

  private void advertisementAsBackup(Advertisement ad, long queuedNanos) {
    if (ad.state() != Role.MASTER && ad.priority() != 0) {
      return; // a step-down notice from a former master: only the master acts on it
    }
    if (ad.priority() == 0) {
      if (!promoting) {
        // "If the Priority in the ADVERTISEMENT is zero, then: Set the Master_Down_Timer to Skew_Time"
        masterDownTimer.arm(skewNanos(effectivePriority, masterAdverNanos));
        masterDownReason = "master " + ad.nodeId() + " left (priority 0), skew time passed";
        lostMasterHeardAt = OptionalLong.of(clock.nanoTime());
        log.debug("{}: master {} is leaving; taking over after the skew time", name, ad.nodeId());
      }
      return;
    }
    boolean preempt = (config.preempt() || effectivePriority == HeartbeatConfig.OWNER_PRIORITY)
        && clock.nanoTime() - preemptAllowedAtNanos >= 0;
    if (!preempt || ad.priority() >= effectivePriority) {
      // "Set Master_Adver_Interval to Adver Interval contained in the ADVERTISEMENT, Recompute the
      // Master_Down_Interval, Reset the Master_Down_Timer to Master_Down_Interval"
      abortPromotion("master " + ad.nodeId() + " (priority " + ad.priority() + ") heard");
      lostMasterHeardAt = OptionalLong.empty();
      masterAdverNanos = ad.interval().toNanos();
      masterDownTimer.arm(masterDownNanos(effectivePriority, masterAdverNanos) - queuedNanos);
      masterDownReason = MASTER_DOWN;
    }
    // else: "Discard the ADVERTISEMENT": preemption lets our master-down timer run out.
  }

  private void masterDownExpired(long lateNanos) {
    if (role != Role.BACKUP || promoting) {
      return;
    }
    long mdi = masterDownNanos(effectivePriority, masterAdverNanos);
    if (lateNanos > config.stallThreshold() * mdi) {
      stalls.incrementAndGet();
      log.warn("{}: master-down timer fired {} ms late (stall: GC pause or VM steal?); "
              + "re-checking for one advertisement interval before taking over",
          name, lateNanos / 1_000_000);
      masterDownTimer.arm(masterAdverNanos);
      return;
    }
    // A preempting backup also gets here, while the lower-priority master it overrides still
    // advertises: only a master silent for more than an advertisement interval was lost.
    if (lostMasterHeardAt.isEmpty() && lastMasterHeardNanos > 0
        && clock.nanoTime() - lastMasterHeardNanos > masterAdverNanos) {
      lostMasterHeardAt = OptionalLong.of(lastMasterHeardNanos);
    }
    promote(masterDownReason);
  }

  // ---- promotion, with the before-master hook --------------------------------------------

  private void promote(String reason) {
    if (config.beforeMaster() == BeforeMaster.NONE) {
      becomeMaster(reason);
      return;
    }
    masterDownTimer.cancel();
    setRole(Role.BACKUP, reason + ", preparing to become master");
    promoting = true;
    long token = ++promotionToken;
    log.info("{}: running the before-master hook ({})", name, reason);
    CompletionStage<?> stage;
    try {
      stage = config.beforeMaster().prepare(reason);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    promotionTimeout = scheduler.schedule(config.beforeMasterTimeout(),
        () -> finishPromotion(token, reason, "timed out after " + config.beforeMasterTimeout()));
    stage.whenComplete((v, err) -> scheduler.execute(
        () -> finishPromotion(token, reason, err == null ? null : "failed: " + err)));
  }

  private synchronized void finishPromotion(long token, String reason, @Nullable String problem) {
    if (!promoting || token != promotionToken || role != Role.BACKUP) {
      return;
    }
    promoting = false;
    Cancellable t = promotionTimeout;
    if (t != null) {
      t.cancel();
    }
    if (problem != null) {
      log.warn("{}: before-master hook {}; becoming master anyway", name, problem);
    }
    becomeMaster(reason);
  }

  private void abortPromotion(String why) {
    if (promoting) {
      promoting = false;
      promotionToken++;
      Cancellable t = promotionTimeout;
      if (t != null) {
        t.cancel();
      }
      log.info("{}: not becoming master after all: {}", name, why);
    }
  }

  private void becomeMaster(String reason) {
    // RFC 5798 6.4.1 / 6.4.2: send an ADVERTISEMENT, set the Adver_Timer, transition to Master.
    // The gratuitous ARP is the listener's job (onRoleChange), and it goes first, as in
    // keepalived (vrrp_state_master_tx): the clients wait for it, while the other backups' timers
    // run from the lost master's last advertisement and are not reset any sooner by ours.
    masterDownTimer.cancel();
    OptionalLong lost = lostMasterHeardAt;
    lostMasterHeardAt = OptionalLong.empty();
    setRole(Role.MASTER, reason, lost, firstAdvertisement(roleEpoch + 1));
  }

  private Runnable firstAdvertisement(long epoch) {
    return () -> sendFirstAdvertisement(epoch);
  }

  private synchronized void sendFirstAdvertisement(long epoch) {
    if (epoch != roleEpoch || role != Role.MASTER) {
      return; // left MASTER meanwhile; that transition sent what it had to
    }
    sendAdvertisement(effectivePriority, Role.MASTER);
    adverTimer.arm(config.advertisementInterval().toNanos());
  }

  // ---- RFC 5798 section 6.4.3: Master ---------------------------------------------------

  private void adverTimerExpired(long lateNanos) {
    if (role != Role.MASTER) {
      return;
    }
    if (lateNanos > config.stallThreshold() * masterDownNanos(effectivePriority, masterAdverNanos)) {
      stalls.incrementAndGet();
      log.warn("{}: advertisement timer fired {} ms late (stall: GC pause or VM steal?)", name, lateNanos / 1_000_000);
    }
    // "Send an ADVERTISEMENT, Reset the Adver_Timer to Advertisement_Interval"
    sendAdvertisement(effectivePriority, Role.MASTER);
    adverTimer.arm(config.advertisementInterval().toNanos());
  }

  private void advertisementAsMaster(Advertisement ad) {
    if (ad.state() != Role.MASTER && ad.priority() != 0) {
      // A master that stepped down for us: it owned the addresses until now, so neighbours may
      // still send to it (the other half of a healed split brain).
      reannounce(ad.nodeId() + " (priority " + ad.priority() + ") stepped down from master for us");
      return;
    }
    if (ad.priority() == 0) {
      // "If the Priority in the ADVERTISEMENT is zero, then: Send an ADVERTISEMENT, Reset the Adver_Timer"
      sendAdvertisement(effectivePriority, Role.MASTER);
      adverTimer.arm(config.advertisementInterval().toNanos());
      return;
    }
    if (ad.priority() > effectivePriority
        || (ad.priority() == effectivePriority && wireFormat.winsTie(ad.nodeId(), config.nodeId()))) {
      // "Cancel Adver_Timer, Set Master_Adver_Interval to Adver Interval contained in the
      // ADVERTISEMENT, Recompute the Master_Down_Interval, Set Master_Down_Timer, Transition to Backup"
      adverTimer.cancel();
      masterAdverNanos = ad.interval().toNanos();
      masterDownTimer.arm(masterDownNanos(effectivePriority, masterAdverNanos));
      masterDownReason = MASTER_DOWN;
      setRole(Role.BACKUP, (ad.priority() > effectivePriority ? "higher priority " : "equal priority, higher node id, ")
          + ad.priority() + " from " + ad.nodeId());
      // Step-down notice: tells the new master that we held the addresses (healed split brain).
      sendAdvertisement(effectivePriority, Role.BACKUP);
      return;
    }
    // RFC 5798 says discard. Two masters means a split brain just healed: make the other one step
    // down now, and have our addresses announced again (keepalived issues #14, #2459). Once per
    // advertisement interval: after a pause, a burst of queued adverts must not become a burst of
    // answers and announcements.
    if (reannouncedRecently()) {
      return;
    }
    sendAdvertisement(effectivePriority, Role.MASTER);
    adverTimer.arm(config.advertisementInterval().toNanos());
    reannounce("lower-priority master " + ad.nodeId() + " (priority " + ad.priority() + ") heard");
  }

  private boolean reannouncedRecently() {
    return reannounced && clock.nanoTime() - lastReannounceNanos < config.advertisementInterval().toNanos();
  }

  private void reannounce(String why) {
    if (reannouncedRecently()) {
      return;
    }
    reannounced = true;
    lastReannounceNanos = clock.nanoTime();
    log.info("{}: {}; re-announcing", name, why);
    for (ElectionListener l : listeners) {
      deliver(() -> notify(l, x -> x.onReannounce(why)));
    }
  }

  // ---- FAULT ----------------------------------------------------------------------------

  private void enterFault(String reason) {
    if (role == Role.MASTER) {
      adverTimer.cancel();
      sendAdvertisement(0, Role.FAULT);
    }
    masterDownTimer.cancel();
    abortPromotion(reason);
    setRole(Role.FAULT, reason);
  }

  private boolean faulted() {
    for (Map.Entry<Tracked, Integer> e : config.trackWeights().entrySet()) {
      if (e.getValue() == 0 && !trackedUp.getOrDefault(e.getKey(), true)) {
        return true;
      }
    }
    return false;
  }

  private int computePriority() {
    if (faulted()) {
      return 0;
    }
    int base = config.priority();
    if (base == HeartbeatConfig.OWNER_PRIORITY) {
      return base;
    }
    int p = base;
    for (Map.Entry<Tracked, Integer> e : config.trackWeights().entrySet()) {
      boolean up = trackedUp.getOrDefault(e.getKey(), true);
      int w = e.getValue();
      if ((up && w > 0) || (!up && w < 0)) {
        p += w;
      }
    }
    return Math.max(1, Math.min(254, p));
  }

  // ---- sending, roles, listeners ---------------------------------------------------------

  private void sendAdvertisement(int priority, Role state) {
    // Every copy is encoded before the first is sent, so that the copies leave back to back: a
    // backup's master-down timer runs from the last one it hears.
    List<Outgoing> packets = new ArrayList<>();
    for (int copy = 0; copy < config.advertisementCopies(); copy++) {
      encodeOnce(priority, state, packets);
    }
    for (Outgoing o : packets) {
      try {
        transport.send(o.destination(), o.packet());
      } catch (RuntimeException e) {
        log.warn("{}: sending to {} failed", name, o.destination(), e);
      }
    }
    // Counted as before: a transport that throws still had the advertisement handed to it.
    if (!packets.isEmpty()) {
      sent.incrementAndGet();
    }
  }

  private record Outgoing(InetSocketAddress destination, ByteBuffer packet) {}

  /** One datagram per destination of an advertisement, with a sequence number of its own. */
  private void encodeOnce(int priority, Role state, List<Outgoing> packets) {
    Advertisement ad = new Advertisement(config.clusterId(), config.groupId(), config.nodeId(), priority, state,
        config.advertisementInterval(), incarnation, ++sequence, vipDigest);
    boolean any = false;
    for (InetSocketAddress dest : config.destinations()) {
      try {
        ByteBuffer packet = wireFormat.encode(ad, dest);
        if (packet == null) {
          continue; // not expressible in this wire format (VRRP has no step-down notice)
        }
        any = true;
        packets.add(new Outgoing(dest, packet));
      } catch (RuntimeException e) {
        log.warn("{}: encoding for {} failed", name, dest, e);
      }
    }
    if (any) {
      log.trace("{}: sent {}", name, ad);
    }
  }

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
      lostMasterHeardAt = OptionalLong.empty();
    }
    role = to;
    roleEpoch++;
    effectivePriority = computePriority();
    RoleChange change = new RoleChange(from, to, reason, clock.nanoTime(), lostMasterHeardAtNanos);
    for (ElectionListener l : listeners) {
      deliver(() -> notify(l, x -> x.onRoleChange(change)));
    }
    if (next != null) {
      if (listeners.isEmpty()) {
        next.run();
      } else {
        List<Runnable> after = afterLock;
        if (after != null) {
          after.add(next);
        } else {
          scheduler.execute(next);
        }
      }
    }
    if (listeners.isEmpty()) {
      log.info("{}: {} (priority {})", name, change, effectivePriority);
    } else {
      // Logged after the listeners' turn: a take-over's gratuitous ARP and advertisement should
      // not wait for a log line.
      int priority = effectivePriority;
      scheduler.execute(() -> log.info("{}: {} (priority {})", name, change, priority));
    }
  }

  /**
   * Hands a listener call to the scheduler, or, during a timer's expiry on the scheduler's thread
   * with no earlier call still queued, to {@link #afterLock}: the timer runs it as soon as it has
   * left the lock. A take-over's listener (the gratuitous ARP) then runs in the timer's own task,
   * not one queue hop later (70 us on a small VM), and the calls stay in order.
   */
  private void deliver(Runnable call) {
    List<Runnable> after = afterLock;
    if (after != null) {
      after.add(call);
      return;
    }
    undelivered.incrementAndGet();
    scheduler.execute(() -> {
      undelivered.decrementAndGet();
      call.run();
    });
  }

  private void notify(ElectionListener l, Consumer<ElectionListener> call) {
    try {
      call.accept(l);
    } catch (RuntimeException e) {
      log.error("{}: election listener {} failed", name, l, e);
    }
  }

  @Override
  public String toString() {
    return "VrrpElection[" + name + ", " + role + ", priority " + effectivePriority + "]";
  }

  /**
   * A one-shot timer that knows its planned deadline, so that a late firing is noticed. An exact
   * timer ({@link Scheduler#scheduleExact}) is the master-down timer: its lateness is part of every
   * fail-over.
   */
  private final class Timer {
    private final java.util.function.LongConsumer onExpiry;
    private final boolean exact;
    private @Nullable Cancellable handle;
    private long generation;
    private long deadlineNanos;

    Timer(java.util.function.LongConsumer onExpiry, boolean exact) {
      this.onExpiry = onExpiry;
      this.exact = exact;
    }

    void arm(long delayNanos) {
      cancel();
      long gen = generation;
      deadlineNanos = clock.nanoTime() + delayNanos;
      Duration delay = Duration.ofNanos(Math.max(0, delayNanos));
      Runnable task = () -> fire(gen);
      handle = exact ? scheduler.scheduleExact(delay, task) : scheduler.schedule(delay, task);
    }

    void cancel() {
      generation++;
      Cancellable h = handle;
      handle = null;
      if (h != null) {
        h.cancel();
      }
    }

    private void fire(long gen) {
      List<Runnable> after = null;
      synchronized (VrrpElection.this) {
        // A task cancelled while it was already waiting for the lock must not run.
        if (gen != generation) {
          return;
        }
        handle = null;
        if (exact && undelivered.get() == 0 && scheduler.inSchedulerThread()) {
          after = new ArrayList<>(4);
          afterLock = after;
        }
        try {
          onExpiry.accept(clock.nanoTime() - deadlineNanos);
        } finally {
          afterLock = null;
        }
      }
      if (after != null) {
        for (Runnable r : after) {
          r.run();
        }
      }
    }
  }
}
