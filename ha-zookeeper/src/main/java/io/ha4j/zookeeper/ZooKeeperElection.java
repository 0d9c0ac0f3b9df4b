package io.ha4j.zookeeper;

import io.ha4j.api.Clock;
import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.Scheduler;
import io.ha4j.api.election.Election;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import io.ha4j.api.election.Tracked;
import io.ha4j.zookeeper.internal.Candidate;
import io.ha4j.zookeeper.internal.LeaderChoice;
import io.ha4j.zookeeper.internal.Look;
import io.ha4j.zookeeper.internal.SessionProof;
import io.ha4j.zookeeper.internal.StallDetector;
import io.ha4j.zookeeper.internal.TrackedWeights;
import io.ha4j.zookeeper.internal.Znodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Election} whose master is the holder of an ephemeral leader znode on a ZooKeeper
 * ensemble, so that a partition cannot give two masters: only the side with the quorum can grant
 * the node, and a master gives its role up as soon as its connection is SUSPENDED, a third of the
 * session timeout before the ensemble could expire its session (see the package documentation).
 *
 * <p>Each member joins with an ephemeral sequential candidate node whose name carries its
 * effective priority, preempt setting and node id; the best live candidate creates the leader
 * node, and a leader steps down (reports BACKUP, then deletes the node) for a newcomer of higher
 * priority only if that newcomer preempts. The leader node's {@code czxid} is the term's {@link
 * #fencingToken() fencing token}: ZooKeeper's zxids grow with every write, so each new term's token
 * is greater than every earlier one.
 *
 * <p>It owns no thread of its own besides Curator's: every decision runs on the given {@link
 * Scheduler}, ZooKeeper operations are Curator background calls whose results are handed to it,
 * and listeners are called on it. Results of an operation started before a connection change, a
 * stall or a stop are ignored.
 */
public final class ZooKeeperElection implements Election {

  private static final Logger log = LoggerFactory.getLogger(ZooKeeperElection.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final String connectString;
  private final Duration sessionTimeout;
  private final Duration connectionTimeout;
  private final boolean preempt;
  private final NodeId nodeId;
  private final TrackedWeights tracked;
  private final Scheduler scheduler;
  private final Clock clock;
  private final StallDetector stalls;
  private final List<ElectionListener> listeners = new CopyOnWriteArrayList<>();
  private final Znodes znodes;
  private final Look look;
  private final SessionProof proof;

  private volatile Role role = Role.INIT;
  private volatile long token = -1;
  private volatile int priority;
  private volatile int live = 1;
  private volatile boolean otherLeads;
  private volatile ReleaseMargin margin;

  /**
   * False only in the planted-bug test: a master that keeps its role while SUSPENDED, as Curator's
   * leader recipes do, to show that the tests catch the two masters that follows.
   */
  volatile boolean releaseOnSuspended = true;

  // The scheduler thread's alone.
  private @Nullable CuratorFramework client;
  /** Bumped at each connection change, stall and stop: results of older operations are stale. */
  private long epoch;
  /** Whether the session is known valid since the last connection change or stall. */
  private boolean proven;
  private long sessionId;

  ZooKeeperElection(ZooKeeperElectionBuilder b, Scheduler scheduler) {
    this.connectString = Objects.requireNonNull(b.connectString);
    this.nodeId = Objects.requireNonNull(b.nodeId);
    this.sessionTimeout = b.sessionTimeout != null ? b.sessionTimeout : ZooKeeperElectionBuilder.DEFAULT_SESSION_TIMEOUT;
    this.connectionTimeout = b.connectionTimeout != null ? b.connectionTimeout : ZooKeeperElectionBuilder.DEFAULT_CONNECTION_TIMEOUT;
    String path = b.path != null ? b.path : ZooKeeperElectionBuilder.DEFAULT_PATH;
    this.preempt = b.preempt == null || b.preempt;
    this.tracked = new TrackedWeights(b.priority != null ? b.priority : 100, b.weights);
    this.priority = tracked.effective();
    this.scheduler = scheduler;
    this.clock = scheduler.clock();
    this.stalls = new StallDetector(scheduler, this::stalled);
    this.margin = ReleaseMargin.of(sessionTimeout);
    CuratorWatcher changed = event -> {
      // Any change of the candidates or the leader node means another look.
      if (event.getType() != Watcher.Event.EventType.None) {
        scheduler.execute(this::lookAgain);
      }
    };
    Znodes znodes = new Znodes(path, scheduler, () -> epoch, this::lookStale, changed);
    this.look = new Look(nodeId, znodes, scheduler, () -> epoch, new Look.Session() {
      @Override
      public @Nullable CuratorFramework provenClient() {
        return proven ? client : null;
      }

      @Override
      public boolean wantsCandidate() {
        return role != Role.FAULT;
      }

      @Override
      public String candidatePrefix() {
        return Candidate.prefix(priority, preempt, nodeId);
      }
    }, this::decide);
    this.znodes = znodes;
    this.proof = new SessionProof(nodeId, znodes, scheduler, () -> epoch, this::proved);
  }

  /** Settings for an election; {@link ZooKeeperElectionBuilder#build} makes it. */
  public static ZooKeeperElectionBuilder builder() {
    return new ZooKeeperElectionBuilder();
  }

  /** The Curator client of the running session, for tests that inject faults; null when stopped. */
  @Nullable CuratorFramework curatorForTests() {
    return client;
  }

  @Override
  public NodeId nodeId() {
    return nodeId;
  }

  @Override
  public Role role() {
    return role;
  }

  @Override
  public int effectivePriority() {
    return priority;
  }

  /**
   * The fencing token of this master's term: the leader node's {@code czxid}, greater than that of
   * every earlier term. Empty unless master. Read it in a role change to MASTER to stamp what the
   * new master writes, so that a store can refuse a deposed master's late writes.
   */
  public OptionalLong fencingToken() {
    long t = token;
    return role == Role.MASTER && t >= 0 ? OptionalLong.of(t) : OptionalLong.empty();
  }

  /** The release margin for the session timeout the servers granted (the one asked for before). */
  public ReleaseMargin releaseMargin() {
    return margin;
  }

  /** Stalls of this process longer than the release margin seen so far. */
  public long stalls() {
    return stalls.stalls();
  }

  /** Master, or a backup whose session is valid and that sees another member hold the leader node. */
  @Override
  public boolean masterKnown() {
    return role == Role.MASTER || role == Role.BACKUP && otherLeads;
  }

  /** The live candidates at the last look, this one included. */
  @Override
  public int liveMembers() {
    return live;
  }

  @Override
  public void addListener(ElectionListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void start() {
    onScheduler(() -> {
      if (role != Role.INIT) {
        return;
      }
      CuratorFramework c = CuratorFrameworkFactory.builder()
          .connectString(connectString)
          .sessionTimeoutMs((int) sessionTimeout.toMillis())
          .connectionTimeoutMs((int) connectionTimeout.toMillis())
          .retryPolicy(new BoundedExponentialBackoffRetry(50, 1000, 5))
          .build();
      client = c;
      c.getConnectionStateListenable().addListener((cl, state) -> connectionChanged(cl, state), scheduler::execute);
      epoch++;
      setRole(tracked.faulted() ? Role.FAULT : Role.BACKUP, "started; connecting to " + connectString);
      restartStallDetector();
      c.start();
    }, false);
  }

  /**
   * Leaves: reports INIT (so the member releases its addresses) and then closes the session, which
   * removes this member's candidate node and, if it led, the leader node in one transaction on the
   * ensemble, so that the next member leads at once instead of after a session timeout. Closing
   * waits for the server's answer (a round trip, Curator's close wait at most) on the scheduler
   * thread; called from another thread, it waits for that too.
   */
  @Override
  public void stop() {
    if (role == Role.INIT) {
      // Also after the scheduler was closed: nothing to wait for.
      return;
    }
    onScheduler(() -> {
      if (role == Role.INIT) {
        return;
      }
      epoch++;
      stalls.stop();
      CuratorFramework c = client;
      client = null;
      proven = false;
      look.forgetCandidate();
      otherLeads = false;
      setRole(Role.INIT, "stopped");
      if (c != null) {
        // Closing the session removes its candidate and leader nodes in one transaction, after
        // the role change: the VIPs are released before anyone else can be granted the node.
        c.close();
      }
    }, true);
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public boolean setTracked(Tracked object, boolean up) {
    TrackedWeights.Update update = tracked.set(Objects.requireNonNull(object, "object"), up);
    if (update == TrackedWeights.Update.CHANGED) {
      String what = "tracked " + object + " is " + (up ? "up" : "down");
      onScheduler(() -> trackedChanged(what), false);
    }
    return update != TrackedWeights.Update.UNTRACKED;
  }

  private void trackedChanged(String what) {
    int before = priority;
    priority = tracked.effective();
    boolean faulted = tracked.faulted();
    if (role == Role.INIT) {
      return;
    }
    if (faulted && role != Role.FAULT) {
      setRole(Role.FAULT, what);
      CuratorFramework c = client;
      if (c != null) {
        look.dropCandidate(c);
      }
    } else if (!faulted && role == Role.FAULT) {
      setRole(Role.BACKUP, what + "; fault cleared");
      look.run();
    } else if (before != priority) {
      log.info("{}: priority {} -> {}: {}", nodeId, before, priority, what);
      // A new candidate node first; the old one goes as a stale one of ours once the new is listed,
      // so that a leader never looks like a non-candidate in between.
      look.forgetCandidate();
      look.run();
    }
  }

  // ---- connection and session ---------------------------------------------------------------

  private void connectionChanged(CuratorFramework c, ConnectionState state) {
    if (c != client) {
      return;
    }
    epoch++;
    proven = false;
    switch (state) {
      case CONNECTED, RECONNECTED -> {
        int granted = c.getZookeeperClient().getLastNegotiatedSessionTimeoutMs();
        try {
          margin = ReleaseMargin.of(Duration.ofMillis(granted));
        } catch (IllegalArgumentException e) {
          log.error("{}: ZooKeeper granted a session timeout of {} ms: {}; not taking part", nodeId, granted, e.getMessage());
          return;
        }
        log.info("{}: ZooKeeper {}; {}", nodeId, state, margin);
        restartStallDetector();
        prove();
      }
      case SUSPENDED -> suspended("ZooKeeper connection suspended; the session may expire in " + margin.margin().toMillis() + " ms");
      case READ_ONLY -> release("ZooKeeper server is read-only");
      case LOST -> {
        release("ZooKeeper session lost");
        look.forgetCandidate();
      }
    }
  }

  private void suspended(String reason) {
    if (releaseOnSuspended) {
      release(reason);
    }
  }

  private void stalled(long lateNanos) {
    epoch++;
    proven = false;
    release("stalled " + lateNanos / 1_000_000 + " ms (release margin " + margin.margin().toMillis()
        + " ms); the session may have expired");
    CuratorFramework c = client;
    if (c != null && c.getZookeeperClient().isConnected()) {
      prove();
    }
  }

  private void prove() {
    CuratorFramework c = client;
    if (c != null) {
      proof.start(c);
    }
  }

  /** The session {@code sid} is valid now: look again, as a new candidate if it is a new session. */
  private void proved(long sid) {
    if (sid != sessionId) {
      // A new session: the old one's candidate node is gone with it.
      sessionId = sid;
      look.forgetCandidate();
    }
    proven = true;
    look.run();
  }

  private void release(String reason) {
    otherLeads = false;
    if (role == Role.MASTER) {
      setRole(Role.BACKUP, reason);
    } else {
      log.info("{}: {}", nodeId, reason);
    }
  }

  private void restartStallDetector() {
    Duration m = margin.margin();
    stalls.start(m.dividedBy(4), m);
  }

  // ---- the decision ----------------------------------------------------------------------

  private void decide(CuratorFramework c, List<Candidate> candidates, @Nullable String mine, @Nullable Stat leader) {
    live = Math.max(1, candidates.size());
    LeaderChoice.Holder holder = leader == null ? LeaderChoice.Holder.NONE
        : leader.getEphemeralOwner() == sessionId ? LeaderChoice.Holder.ME : LeaderChoice.Holder.OTHER;
    otherLeads = holder == LeaderChoice.Holder.OTHER;
    LeaderChoice.Choice choice = LeaderChoice.decide(candidates, mine, holder);
    log.debug("{}: {} ({})", nodeId, choice.decision(), choice.reason());
    switch (choice.decision()) {
      case CLAIM -> znodes.claimLeader(c, nodeId.value().getBytes(StandardCharsets.UTF_8), look::run);
      case LEAD -> {
        if (role == Role.BACKUP && leader != null) {
          token = leader.getCzxid();
          setRole(Role.MASTER, choice.reason() + "; fencing token " + token);
        }
      }
      case STEP_DOWN -> {
        if (role == Role.MASTER) {
          setRole(Role.BACKUP, choice.reason());
        }
        znodes.giveUpLeader(c, Objects.requireNonNull(leader).getVersion(), look::run);
      }
      case FOLLOW, WAIT -> {
        if (role == Role.MASTER) {
          setRole(Role.BACKUP, choice.reason());
        }
      }
    }
  }

  private void lookAgain() {
    look.run();
  }

  private void lookStale() {
    look.stale();
  }

  private void setRole(Role to, String reason) {
    Role from = role;
    if (from == to) {
      return;
    }
    role = to;
    if (to != Role.MASTER) {
      token = -1;
    }
    RoleChange change = new RoleChange(from, to, reason, clock.nanoTime());
    log.info("{}: {}", nodeId, change);
    for (ElectionListener l : listeners) {
      try {
        l.onRoleChange(change);
      } catch (RuntimeException ex) {
        log.warn("{}: listener failed on {}", nodeId, change, ex);
      }
    }
  }

  /** Runs {@code task} on the scheduler, at once when already there; waits for it if {@code await}. */
  private void onScheduler(Runnable task, boolean await) {
    if (scheduler.inSchedulerThread()) {
      task.run();
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    scheduler.execute(() -> {
      try {
        task.run();
      } finally {
        done.countDown();
      }
    });
    if (await) {
      try {
        if (!done.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("{}: the scheduler did not run the stop within {}", nodeId, STOP_WAIT);
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
