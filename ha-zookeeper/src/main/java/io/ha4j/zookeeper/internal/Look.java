package io.ha4j.zookeeper.internal;

import io.ha4j.api.NodeId;
import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One look at the election's znodes: it gives this member a candidate node if it has none and
 * should have one, lists the candidates, reads the leader node, and hands both to the election's
 * decision. One look runs at a time; a watch that fires meanwhile asks for another right after.
 * It also removes candidate nodes of this member's id that are not its current one (one left by a
 * priority change, or a create retried after a connection loss). On the scheduler thread only.
 */
public final class Look {

  /** What the election does with a look's result. */
  @FunctionalInterface
  public interface Outcome {
    /** Decides from the live {@code candidates}, this member's one ({@code mine}), and the leader node's stat. */
    void decide(CuratorFramework c, List<Candidate> candidates, @Nullable String mine, @Nullable Stat leader);
  }

  /** What a look asks of the election's session. */
  public interface Session {
    /** The client, if its session is proven valid; null otherwise (no look then). */
    @Nullable CuratorFramework provenClient();

    /** Whether this member should be a candidate now (not in FAULT). */
    boolean wantsCandidate();

    /** The candidate node's name prefix for the effective priority now. */
    String candidatePrefix();
  }

  private static final Logger log = LoggerFactory.getLogger(Look.class);
  private static final Duration RETRY = Duration.ofMillis(100);

  private final NodeId nodeId;
  private final Znodes znodes;
  private final Scheduler scheduler;
  private final LongSupplier epoch;
  private final Session session;
  private final Outcome outcome;

  private @Nullable String mine;
  private boolean running;
  private boolean again;

  /** Looks for {@code nodeId} through {@code znodes}, retried on {@code scheduler} within an {@code epoch}. */
  public Look(NodeId nodeId, Znodes znodes, Scheduler scheduler, LongSupplier epoch, Session session, Outcome outcome) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.znodes = Objects.requireNonNull(znodes, "znodes");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.epoch = Objects.requireNonNull(epoch, "epoch");
    this.session = Objects.requireNonNull(session, "session");
    this.outcome = Objects.requireNonNull(outcome, "outcome");
  }

  /** This member's candidate node name, or null. */
  public @Nullable String candidate() {
    return mine;
  }

  /**
   * Forgets this member's candidate node: its session is gone (with the node), or its priority
   * changed (the next look creates a new node before removing the old one, so a leader never looks
   * like a non-candidate in between).
   */
  public void forgetCandidate() {
    mine = null;
  }

  /** Removes this member's candidate node (FAULT), then looks again. */
  public void dropCandidate(CuratorFramework c) {
    String name = mine;
    mine = null;
    if (name != null) {
      znodes.dropCandidate(c, name, this::run);
    }
  }

  /** Looks now, or right after the look under way. */
  public void run() {
    CuratorFramework c = session.provenClient();
    if (c == null) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = mine == null && session.wantsCandidate()
        ? znodes.createCandidate(c, session.candidatePrefix(), ev -> created(c, ev))
        : znodes.listCandidates(c, ev -> listed(c, ev));
  }

  /** A result came after a connection change, a stall or a stop: this look is over. */
  public void stale() {
    running = false;
    run();
  }

  private void created(CuratorFramework c, CuratorEvent ev) {
    if (!ok(ev, "create candidate")) {
      return;
    }
    mine = znodes.candidateName(ev);
    log.info("{}: candidate {}", nodeId, mine);
    running = znodes.listCandidates(c, ev2 -> listed(c, ev2));
  }

  private void listed(CuratorFramework c, CuratorEvent ev) {
    List<Candidate> candidates = new ArrayList<>();
    if (ev.getResultCode() != KeeperException.Code.NONODE.intValue()) {
      if (!ok(ev, "list candidates")) {
        return;
      }
      for (String name : ev.getChildren()) {
        Candidate.parse(name).ifPresent(cand -> {
          if (cand.nodeId().equals(nodeId) && !cand.name().equals(mine)) {
            znodes.dropCandidate(c, cand.name(), () -> {});
          } else {
            candidates.add(cand);
          }
        });
      }
    }
    running = znodes.readLeader(c, ev2 -> leaderRead(c, candidates, ev2));
  }

  private void leaderRead(CuratorFramework c, List<Candidate> candidates, CuratorEvent ev) {
    @Nullable Stat stat = null;
    if (ev.getResultCode() == KeeperException.Code.NONODE.intValue()) {
      znodes.watchLeader(c, this::run);
    } else if (!ok(ev, "read leader")) {
      return;
    } else {
      stat = ev.getStat();
    }
    running = false;
    outcome.decide(c, candidates, mine, stat);
    if (again) {
      run();
    }
  }

  /** Whether {@code ev} succeeded; if not, ends this look and looks again shortly in the same epoch. */
  private boolean ok(CuratorEvent ev, String what) {
    if (ev.getResultCode() == KeeperException.Code.OK.intValue()) {
      return true;
    }
    log.debug("{}: {} failed: {}", nodeId, what, KeeperException.Code.get(ev.getResultCode()));
    running = false;
    long e = epoch.getAsLong();
    scheduler.schedule(RETRY, () -> {
      if (e == epoch.getAsLong()) {
        run();
      }
    });
    return false;
  }
}
