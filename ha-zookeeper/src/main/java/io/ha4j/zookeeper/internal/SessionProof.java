package io.ha4j.zookeeper.internal;

import io.ha4j.api.NodeId;
import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves a session valid before the election acts on it again, after a connection change or a
 * stall: a {@code sync} through the ensemble's leader succeeds only on a live session, so what the
 * next reads show is no older than the proof. Retries every 100 ms within the same epoch; a new
 * connection change or stall starts a new proof instead. On the scheduler thread only.
 */
public final class SessionProof {

  private static final Logger log = LoggerFactory.getLogger(SessionProof.class);
  private static final Duration RETRY = Duration.ofMillis(100);

  private final NodeId nodeId;
  private final Znodes znodes;
  private final Scheduler scheduler;
  private final LongSupplier epoch;
  private final LongConsumer proven;

  /** Proofs for {@code nodeId}; {@code proven} gets the session id of each proven session. */
  public SessionProof(NodeId nodeId, Znodes znodes, Scheduler scheduler, LongSupplier epoch, LongConsumer proven) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.znodes = Objects.requireNonNull(znodes, "znodes");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.epoch = Objects.requireNonNull(epoch, "epoch");
    this.proven = Objects.requireNonNull(proven, "proven");
  }

  /** Starts a proof of {@code c}'s session in the current epoch. */
  public void start(CuratorFramework c) {
    long e = epoch.getAsLong();
    znodes.sync(c, ev -> synced(c, e, ev));
  }

  private void synced(CuratorFramework c, long e, CuratorEvent ev) {
    if (ev.getResultCode() != KeeperException.Code.OK.intValue()) {
      log.debug("{}: sync failed: {}", nodeId, KeeperException.Code.get(ev.getResultCode()));
      scheduler.schedule(RETRY, () -> {
        if (e == epoch.getAsLong()) {
          start(c);
        }
      });
      return;
    }
    long sid;
    try {
      sid = c.getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception ex) {
      // Curator is closing or resetting the handle: the next connection change proves again.
      log.debug("{}: no session after the sync", nodeId, ex);
      return;
    }
    log.info("{}: session 0x{} proven valid", nodeId, Long.toHexString(sid));
    proven.accept(sid);
  }
}
