package io.ha4j.heartbeat.witness.linux.internal;

import io.ha4j.api.transport.WitnessTransport.ProbeResult;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Probes that the poll thread starts by itself the moment a keyed connection it opened ends
 * without a local close (a reset or the peer's FIN), and the later probes of the same peer that
 * they answer: the election's probe, which comes after the close has gone through the relay and
 * the election's scheduler, then finds the peer's kernel asked already (the SYN left on the loop
 * that saw the close), and is answered at once or as soon as the early probe is.
 *
 * <p>It concludes nothing by itself: an answer stands for a later probe only if it came after
 * the close and at most {@link #FRESH_NANOS} before that probe was asked; the election still asks,
 * and only after an unannounced close. Loop thread only.
 */
final class EarlyProbes {

  /** How long an early probe keeps trying (a fresh SYN every {@link ProbeAttempt#RETRY_NANOS}). */
  static final long TIMEOUT_NANOS = 100_000_000;
  /**
   * How long an early probe's answer stands for a probe asked after it: longer than the close's
   * way through the relay and the election's scheduler on a loaded machine, and short beside a
   * restart (a process that listens again within it was dead when its kernel refused).
   */
  static final long FRESH_NANOS = 100_000_000;

  private final Map<InetSocketAddress, Early> byPeer = new HashMap<>();
  private final AtomicLong begun = new AtomicLong();

  /**
   * An early probe of {@code peer}, unless one runs already: the attempt to start, or null. An
   * answer to an earlier close is dropped: only what the peer's kernel said after the latest close
   * stands for the election's probe.
   */
  @Nullable ProbeAttempt begin(WitnessLoop loop, InetSocketAddress peer, long now) {
    Early e = byPeer.get(peer);
    if (e != null && e.result == null) {
      return null;
    }
    Early fresh = new Early();
    byPeer.put(peer, fresh);
    begun.incrementAndGet();
    return new ProbeAttempt(loop, peer, now + TIMEOUT_NANOS, r -> fresh.answered(loop, r, loop.nanoTime()), false);
  }

  /**
   * Answers {@code result} from an early probe of {@code peer}: now, if it answered within
   * {@link #FRESH_NANOS}; when it answers, if it still runs (or TIMED_OUT at {@code deadline}).
   * False when there is none to join: the caller probes by itself.
   */
  boolean join(WitnessLoop loop, InetSocketAddress peer, long now, long deadline, Consumer<ProbeResult> result) {
    Early e = byPeer.get(peer);
    if (e == null) {
      return false;
    }
    ProbeResult r = e.result;
    if (r == null) {
      e.waiting.add(new Waiter(deadline, result));
    } else if (now - e.answeredAt < FRESH_NANOS) {
      loop.relay(() -> result.accept(r));
    } else {
      byPeer.remove(peer);
      return false;
    }
    return true;
  }

  /** The earliest deadline of a waiting probe, or {@link Long#MAX_VALUE}. */
  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (Early e : byPeer.values()) {
      for (Waiter w : e.waiting) {
        next = Math.min(next, w.deadline);
      }
    }
    return next;
  }

  /** Waiting probes past their deadline end TIMED_OUT; stale answers are forgotten. */
  void expire(WitnessLoop loop, long now) {
    for (Iterator<Early> it = byPeer.values().iterator(); it.hasNext(); ) {
      Early e = it.next();
      for (Iterator<Waiter> w = e.waiting.iterator(); w.hasNext(); ) {
        Waiter x = w.next();
        if (now - x.deadline >= 0) {
          w.remove();
          loop.relay(() -> x.result.accept(ProbeResult.TIMED_OUT));
        }
      }
      if (e.result != null && now - e.answeredAt >= FRESH_NANOS) {
        it.remove();
      }
    }
  }

  /** Early probes started. */
  long begun() {
    return begun.get();
  }

  private record Waiter(long deadline, Consumer<ProbeResult> result) {}

  private static final class Early {
    final List<Waiter> waiting = new ArrayList<>();
    @Nullable ProbeResult result;
    long answeredAt;

    void answered(WitnessLoop loop, ProbeResult r, long now) {
      result = r;
      answeredAt = now;
      for (Waiter w : waiting) {
        loop.relay(() -> w.result.accept(r));
      }
      waiting.clear();
    }
  }
}
