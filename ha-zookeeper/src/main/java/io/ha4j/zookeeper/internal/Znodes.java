package io.ha4j.zookeeper.internal;

import io.ha4j.api.Scheduler;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election's calls on its znodes ({@code <path>/candidates/*} and {@code <path>/leader}), each a
 * Curator background operation so that the scheduler thread never waits on the network. A result
 * reaches the scheduler only while the epoch it was started in is still current; one that comes
 * after a connection change, a stall or a stop goes to {@code onStale} instead.
 */
public final class Znodes {

  private static final Logger log = LoggerFactory.getLogger(Znodes.class);

  private final Scheduler scheduler;
  private final LongSupplier epoch;
  private final Runnable onStale;
  private final String candidatesPath;
  private final String leaderPath;
  private final CuratorWatcher changed;

  /**
   * Calls under {@code path}, their results handed to {@code scheduler}; {@code changed} is set as
   * the watch on the candidates and the leader node.
   */
  public Znodes(String path, Scheduler scheduler, LongSupplier epoch, Runnable onStale, CuratorWatcher changed) {
    this.candidatesPath = Objects.requireNonNull(path, "path") + "/candidates";
    this.leaderPath = path + "/leader";
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.epoch = Objects.requireNonNull(epoch, "epoch");
    this.onStale = Objects.requireNonNull(onStale, "onStale");
    this.changed = Objects.requireNonNull(changed, "changed");
  }

  /** A sync through the ensemble's leader, which succeeds only on a valid session. */
  public boolean sync(CuratorFramework c, Consumer<CuratorEvent> result) {
    long e = epoch.getAsLong();
    return start("sync", () -> c.sync().inBackground((cl, ev) -> handOff(e, () -> result.accept(ev))).forPath("/"));
  }

  /** Creates this member's ephemeral sequential candidate node named from {@code prefix}. */
  public boolean createCandidate(CuratorFramework c, String prefix, Consumer<CuratorEvent> result) {
    long e = epoch.getAsLong();
    return start("create candidate", () -> c.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .inBackground((cl, ev) -> handOff(e, () -> result.accept(ev))).forPath(candidatesPath + "/" + prefix));
  }

  /** The name of a created candidate node under the candidates' path. */
  public String candidateName(CuratorEvent created) {
    return created.getName().substring(candidatesPath.length() + 1);
  }

  /** Lists the candidates, watching them. */
  public boolean listCandidates(CuratorFramework c, Consumer<CuratorEvent> result) {
    long e = epoch.getAsLong();
    return start("list candidates", () -> c.getChildren().usingWatcher(changed)
        .inBackground((cl, ev) -> handOff(e, () -> result.accept(ev))).forPath(candidatesPath));
  }

  /** Reads the leader node and its stat, watching it. */
  public boolean readLeader(CuratorFramework c, Consumer<CuratorEvent> result) {
    long e = epoch.getAsLong();
    return start("read leader", () -> c.getData().usingWatcher(changed)
        .inBackground((cl, ev) -> handOff(e, () -> result.accept(ev))).forPath(leaderPath));
  }

  /**
   * Watches for a leader node that {@link #readLeader} found missing (a read sets no watch on a
   * missing node); {@code appeared} runs if it was created in between.
   */
  public boolean watchLeader(CuratorFramework c, Runnable appeared) {
    long e = epoch.getAsLong();
    return start("watch leader", () -> c.checkExists().usingWatcher(changed).inBackground((cl, ev) -> {
      if (ev.getStat() != null) {
        handOff(e, appeared);
      }
    }).forPath(leaderPath));
  }

  /** Creates the ephemeral leader node holding {@code data}; {@code done} runs whatever the outcome. */
  public boolean claimLeader(CuratorFramework c, byte[] data, Runnable done) {
    long e = epoch.getAsLong();
    return start("claim leader", () -> c.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
        .inBackground((cl, ev) -> handOff(e, done)).forPath(leaderPath, data));
  }

  /** Deletes the leader node if it is still at {@code version}; {@code done} runs whatever the outcome. */
  public boolean giveUpLeader(CuratorFramework c, int version, Runnable done) {
    long e = epoch.getAsLong();
    return start("give up leader", () -> c.delete().withVersion(version)
        .inBackground((cl, ev) -> handOff(e, done)).forPath(leaderPath));
  }

  /** Deletes the candidate node {@code name}; {@code done} runs whatever the outcome. */
  public boolean dropCandidate(CuratorFramework c, String name, Runnable done) {
    long e = epoch.getAsLong();
    return start("drop candidate " + name, () -> c.delete()
        .inBackground((cl, ev) -> handOff(e, done)).forPath(candidatesPath + "/" + name));
  }

  private void handOff(long e, Runnable result) {
    scheduler.execute(() -> {
      if (e == epoch.getAsLong()) {
        result.run();
      } else {
        onStale.run();
      }
    });
  }

  private interface Call {
    void run() throws Exception;
  }

  private static boolean start(String what, Call call) {
    try {
      call.run();
      return true;
    } catch (Exception ex) {
      // Curator refuses background calls only when the client is closed or misused.
      log.warn("{} could not be started: {}", what, ex.toString());
      return false;
    }
  }
}
