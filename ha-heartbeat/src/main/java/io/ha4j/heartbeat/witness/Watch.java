package io.ha4j.heartbeat.witness;

import io.ha4j.api.Cancellable;
import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.transport.WitnessTransport.CloseReason;
import io.ha4j.api.transport.WitnessTransport.ProbeResult;
import io.ha4j.api.transport.WitnessTransport.WitnessConnection;
import io.ha4j.heartbeat.DropReason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A backup's watch over its master: one connection to the master's witness endpoint, attested by
 * the master's authenticated hello; when the master's end closes without a goodbye, a probe asks
 * the master's kernel, and only its refusal is a death (package documentation, "Conclusions").
 * Otherwise it reconnects with a bounded backoff. Guarded by the election's lock.
 */
final class Watch {

  /** The first reconnect waits this long; each failure doubles it up to the advertisement interval (at most 1 s). */
  static final Duration FIRST_RETRY = Duration.ofMillis(10);
  private static final long MAX_RETRY_NANOS = Duration.ofSeconds(1).toNanos();

  private record Target(NodeId master, InetSocketAddress endpoint) {}

  private final DeathWitness w;
  private final long maxRetryNanos;
  private @Nullable Target target;
  private @Nullable Session session;
  private @Nullable Cancellable retry;
  private long retryNanos = FIRST_RETRY.toNanos();
  /** The target answered that it is not master (yet): connect again when it advertises as master. */
  private boolean notMasterYet;

  Watch(DeathWitness w) {
    this.w = w;
    this.maxRetryNanos = Math.max(FIRST_RETRY.toNanos(),
        Math.min(MAX_RETRY_NANOS, w.config.advertisementInterval().toNanos()));
  }

  @Nullable NodeId master() {
    Target t = target;
    return t == null ? null : t.master();
  }

  /** {@code master} advertises as master from {@code address} in {@code incarnation}. */
  void follow(NodeId master, long incarnation, InetAddress address) {
    Target t = new Target(master, new InetSocketAddress(address, w.config.witnessPort()));
    if (t.equals(target)) {
      Session s = session;
      if (s == null && notMasterYet) {
        notMasterYet = false;
        cancelRetry();
        connect();
      } else if (s != null && s.attested && s.masterIncarnation != incarnation) {
        // The master restarted (its host may have rebooted: then nothing closed this connection,
        // and the new kernel's unkeyed reset never will): watch its new process instead.
        w.log.debug("{}: master {} advertises incarnation {}, the watch is of {}; reconnecting", w.name, master,
            incarnation, s.masterIncarnation);
        session = null;
        s.end();
        retryNanos = FIRST_RETRY.toNanos();
        connect();
      }
      return;
    }
    stop();
    target = t;
    retryNanos = FIRST_RETRY.toNanos();
    connect();
  }

  /** Watches nothing; an open connection ends with a goodbye. */
  void stop() {
    cancelRetry();
    target = null;
    notMasterYet = false;
    Session s = session;
    session = null;
    if (s != null) {
      s.end();
    }
  }

  private void connect() {
    Target t = target;
    if (t == null || session != null) {
      return;
    }
    Session s = new Session(t);
    session = s;
    w.counters.connections++;
    w.transport.connect(t.endpoint(), s);
  }

  private void retryLater() {
    if (target == null || session != null) {
      return;
    }
    cancelRetry();
    long delay = retryNanos;
    retryNanos = Math.min(2 * retryNanos, maxRetryNanos);
    retry = w.scheduler.schedule(Duration.ofNanos(delay), w.locked(() -> {
      retry = null;
      connect();
    }));
  }

  private void cancelRetry() {
    Cancellable r = retry;
    retry = null;
    if (r != null) {
      r.cancel();
    }
  }

  /** One connection to the target; its events come through the scheduler, in order. */
  private final class Session implements WitnessConnection.Handler {
    final Target target;
    final byte[] nonce = DeathWitness.nonce();
    byte[] masterNonce = WitnessMessage.NO_ECHO;
    long masterIncarnation;
    @Nullable WitnessConnection connection;
    boolean ended;
    /** The master answered with an authenticated hello as master, on this connection. */
    boolean attested;
    boolean goodbye;

    Session(Target target) {
      this.target = target;
    }

    @Override
    public void opened(WitnessConnection c) {
      w.later(() -> {
        connection = c;
        if (ended) {
          w.goodbyeAndClose(c, nonce, masterNonce);
        } else {
          w.send(c, false, nonce, WitnessMessage.NO_ECHO);
        }
      });
    }

    @Override
    public void received(WitnessConnection c, ByteBuffer message) {
      ByteBuffer copy = DeathWitness.copy(message);
      w.later(() -> onMessage(copy));
    }

    @Override
    public void closed(WitnessConnection c, CloseReason reason) {
      w.later(() -> onClosed(reason));
    }

    /** Ends this session on purpose: a goodbye, then the close (or both once it opens). */
    void end() {
      ended = true;
      WitnessConnection c = connection;
      if (c != null) {
        w.goodbyeAndClose(c, nonce, masterNonce);
      }
    }

    private boolean current() {
      return session == this && !ended;
    }

    private void onMessage(ByteBuffer bytes) {
      if (!current()) {
        return;
      }
      WitnessMessage m = w.decode(bytes);
      if (m == null) {
        return;
      }
      if (!m.echoes(nonce)) {
        w.drop(DropReason.BAD_PROOF); // not made for this connection: a replay
        return;
      }
      if (m.goodbye()) {
        goodbye = true;
        w.counters.goodbyes++;
        w.log.debug("{}: {} says goodbye on the witness connection", w.name, m.node());
        return;
      }
      if (attested) {
        return;
      }
      if (!m.node().equals(target.master()) || m.role() != Role.MASTER) {
        // Not (or no longer, or not yet) the master we follow: nothing to watch here.
        w.log.debug("{}: witness endpoint {} answers as {} {}, not as master {}", w.name, target.endpoint(),
            m.role(), m.node(), target.master());
        notMasterYet = m.node().equals(target.master());
        session = null;
        end();
        retryLater();
        return;
      }
      attested = true;
      masterNonce = m.nonce();
      masterIncarnation = m.incarnation();
      retryNanos = FIRST_RETRY.toNanos();
      w.counters.watching++;
      w.log.debug("{}: watching master {} (incarnation {}) at {}", w.name, m.node(), m.incarnation(),
          target.endpoint());
    }

    private void onClosed(CloseReason reason) {
      connection = null;
      if (!current()) {
        return;
      }
      session = null;
      if ((reason == CloseReason.END_OF_STREAM || reason == CloseReason.RESET) && attested && !goodbye) {
        w.counters.unannouncedCloses++;
        w.counters.probes++;
        w.log.info("{}: master {}'s witness connection ended ({}) without a goodbye; asking its kernel",
            w.name, target.master(), reason);
        w.transport.probe(target.endpoint(), w.config.witnessProbeTimeout(), result -> w.later(() -> probed(result)));
        return;
      }
      w.log.debug("{}: witness connection to {} ended ({}{})", w.name, target.endpoint(), reason,
          goodbye ? ", after a goodbye" : "");
      retryLater();
    }

    private void probed(ProbeResult result) {
      if (Watch.this.target != target || session != null) {
        return; // the backup follows another master now, or left BACKUP
      }
      if (result == ProbeResult.REFUSED) {
        w.counters.refused++;
        w.counters.conclusions++;
        w.log.info("{}: master {}'s kernel refused the witness probe: its process died", w.name, target.master());
        w.verdict.processDied(target.master());
      } else {
        w.log.info("{}: witness probe of master {}: {}; nothing concluded, the master-down timer decides",
            w.name, target.master(), result);
      }
      retryLater();
    }
  }
}
