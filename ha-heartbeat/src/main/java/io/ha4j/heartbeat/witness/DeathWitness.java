package io.ha4j.heartbeat.witness;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.Scheduler;
import io.ha4j.api.transport.WitnessTransport;
import io.ha4j.api.transport.WitnessTransport.WitnessConnection;
import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.WitnessStats;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * An election's death witness (package documentation): as a backup it {@linkplain Watch watches}
 * its master through one connection, as the master it {@linkplain Witnessed answers} the backups
 * that watch it, and it says goodbye before every close of its own. Guarded by the election's
 * lock; the transport's callbacks are handed to the election's scheduler and run under that lock.
 */
public final class DeathWitness {

  /** What the witness concludes; called on the election's scheduler, under its lock. */
  public interface Verdict {
    /** The process of {@code master}, the master this backup follows, died: its kernel said so. */
    void processDied(NodeId master);
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  final HeartbeatConfig config;
  final WitnessTransport transport;
  final Scheduler scheduler;
  final Logger log;
  final String name;
  final Counters counters = new Counters();
  final Verdict verdict;
  private final Object lock;
  private final Supplier<Role> role;
  private final LongSupplier incarnation;
  private final IntPredicate retiredKey;
  private final WitnessCodec codec;
  private final Watch watch;
  private final Witnessed witnessed;
  private boolean listening;

  /**
   * The witness of {@code config}'s member over {@code transport}, run on {@code scheduler} under
   * {@code lock}; it reads the member's {@code role} and {@code incarnation}, refuses messages
   * signed with a key that {@code retiredKey} names, and hands deaths to {@code verdict}.
   */
  public DeathWitness(HeartbeatConfig config, WitnessTransport transport, Scheduler scheduler, Object lock,
      Supplier<Role> role, LongSupplier incarnation, IntPredicate retiredKey, Verdict verdict, String name,
      Logger log) {
    this.config = Objects.requireNonNull(config, "config");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.lock = Objects.requireNonNull(lock, "lock");
    this.role = role;
    this.incarnation = incarnation;
    this.retiredKey = retiredKey;
    this.verdict = verdict;
    this.name = name;
    this.log = log;
    this.codec = new WitnessCodec(config.clusterId(), config.groupId(), config.keys());
    this.watch = new Watch(this);
    this.witnessed = new Witnessed(this);
  }

  /** Opens this member's witness endpoint (once; it stays open while the process lives). */
  public void start() {
    if (!listening) {
      listening = true;
      transport.listen(witnessed::accept);
    }
  }

  /**
   * As a backup, {@code master} was heard advertising as master from {@code address}, in its
   * proven {@code incarnation}: watch it.
   */
  public void follow(NodeId master, long incarnation, InetAddress address) {
    if (role.get() == Role.BACKUP) {
      watch.follow(master, incarnation, address);
    }
  }

  /** The member's role changed to {@code to}: a backup's watch and a master's answers end with goodbyes. */
  public void roleChanged(Role to) {
    if (to != Role.BACKUP) {
      watch.stop();
    }
    if (to != Role.MASTER) {
      witnessed.goodbyeAll();
    }
  }

  /** The master this backup watches now, or null. */
  public @Nullable NodeId watched() {
    return watch.master();
  }

  /** The counters. */
  public WitnessStats stats() {
    return counters.snapshot();
  }

  // ---- for Watch and Witnessed ----------------------------------------------------------------

  /** Runs {@code task} on the scheduler under the election's lock: every transport callback goes here. */
  void later(Runnable task) {
    scheduler.execute(locked(task));
  }

  Runnable locked(Runnable task) {
    return () -> {
      synchronized (lock) {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.error("{}: the death witness failed", name, e);
        }
      }
    };
  }

  Role role() {
    return role.get();
  }

  static byte[] nonce() {
    byte[] n = new byte[WitnessMessage.NONCE_BYTES];
    RANDOM.nextBytes(n);
    return n;
  }

  /** Sends our hello (or goodbye) with {@code nonce}, echoing {@code echo}. */
  void send(WitnessConnection c, boolean goodbye, byte[] nonce, byte[] echo) {
    c.send(codec.encode(new WitnessMessage(goodbye, config.nodeId(), role(), incarnation.getAsLong(), nonce, echo)));
  }

  /**
   * An intentional close: the goodbye first, so that the peer concludes nothing. If the goodbye
   * cannot be sent the connection is closed all the same: the peer's probe then finds this process
   * listening (ACCEPTED) and concludes nothing either.
   */
  void goodbyeAndClose(WitnessConnection c, byte[] nonce, byte[] echo) {
    try {
      send(c, true, nonce, echo);
    } catch (RuntimeException e) {
      log.warn("{}: the witness goodbye to {} failed; closing without it", name, c.peer(), e);
    }
    c.close();
  }

  /** The authenticated message in {@code bytes}, or null when it was dropped (and counted). */
  @Nullable WitnessMessage decode(ByteBuffer bytes) {
    WitnessCodec.Decoded d = codec.decode(bytes);
    if (d instanceof WitnessCodec.Rejected r) {
      drop(r.reason());
      return null;
    }
    WitnessCodec.Valid v = (WitnessCodec.Valid) d;
    if (retiredKey.test(v.keyId())) {
      drop(DropReason.RETIRED_KEY);
      return null;
    }
    if (v.message().node().equals(config.nodeId())) {
      drop(DropReason.OWN_NODE_ID);
      return null;
    }
    return v.message();
  }

  void drop(DropReason reason) {
    counters.dropped(reason);
    log.debug("{}: witness message dropped: {}", name, reason);
  }

  /** A copy of what a transport handed over: its buffer may be reused once the callback returns. */
  static ByteBuffer copy(ByteBuffer message) {
    ByteBuffer c = ByteBuffer.allocate(message.remaining());
    c.put(message.duplicate()).flip();
    return c;
  }
}
