package io.ha4j.heartbeat.witness.linux.internal;

import com.sun.jna.LastErrorException;
import io.ha4j.api.transport.WitnessTransport.ProbeResult;
import io.ha4j.linux.Errno;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One probe of a peer's witness endpoint: an unkeyed non-blocking connect whose outcome the peer's
 * kernel decides. Unkeyed on purpose: the reset a kernel sends for a closed port carries no RFC
 * 2385 option, and a keyed socket would drop it and wait for its timeout.
 *
 * <p>A fresh connect every {@link #RETRY_NANOS} until the timeout: a dying process's kernel closes
 * its descriptors in their numeric order, so the witness connection's FIN can leave a millisecond
 * before the keyed listener closes, and the listener drops an unsigned SYN without a word (seen in
 * the netns test with a 256 MiB heap). The kernel would resend that SYN only after a second.
 */
final class ProbeAttempt {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeAttempt.class);

  private final WitnessLoop loop;
  private final InetSocketAddress peer;
  private final long deadline;
  private final Consumer<ProbeResult> result;
  private int fd = -1;
  private long nextTry;
  private boolean answered;
  private final boolean relayed;

  /** How often a probe sends a fresh SYN. */
  static final long RETRY_NANOS = 5_000_000;

  ProbeAttempt(WitnessLoop loop, InetSocketAddress peer, long deadline, Consumer<ProbeResult> result) {
    this(loop, peer, deadline, result, true);
  }

  /** As above; {@code relayed} false: {@code result} is the loop's own and is called on its thread. */
  ProbeAttempt(WitnessLoop loop, InetSocketAddress peer, long deadline, Consumer<ProbeResult> result, boolean relayed) {
    this.relayed = relayed;
    this.loop = loop;
    this.peer = peer;
    this.deadline = deadline;
    this.result = result;
  }

  /** Starts a connect at {@code now}; false if the probe was answered at once (no descriptor to poll). */
  boolean start(long now) {
    if (fd >= 0) {
      TcpSockets.close(fd);
      fd = -1;
    }
    nextTry = now + RETRY_NANOS;
    try {
      fd = TcpSockets.open(peer.getAddress());
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      loop.relay(() -> LOG.warn("witness probe of {}: no socket: {}", peer, Errno.describe(errno)));
      answer(ProbeResult.UNREACHABLE);
      return false;
    }
    try {
      if (TcpSockets.connect(fd, peer)) {
        answer(ProbeResult.ACCEPTED);
        return false;
      }
      return true;
    } catch (LastErrorException e) {
      answer(resultFor(e.getErrorCode()));
      return false;
    }
  }

  int fd() {
    return fd;
  }

  long deadline() {
    return deadline;
  }

  /** When the next fresh connect is due, unless answered. */
  long nextTry() {
    return Math.min(nextTry, deadline);
  }

  boolean answered() {
    return answered;
  }

  /** The connect finished: its {@code SO_ERROR} says how. */
  void ready() {
    int error;
    try {
      error = TcpSockets.pendingError(fd);
    } catch (LastErrorException e) {
      error = e.getErrorCode();
    }
    answer(error == 0 ? ProbeResult.ACCEPTED : resultFor(error));
  }

  /** The answer for an unanswered probe: at its deadline, or when the transport closes. */
  void expire() {
    answer(ProbeResult.TIMED_OUT);
  }

  private void answer(ProbeResult r) {
    if (answered) {
      return;
    }
    answered = true;
    if (fd >= 0) {
      // A reset, not FIN: an accepting peer is left with nothing to time out.
      TcpSockets.abort(fd);
    }
    if (!relayed) {
      loop.relay(() -> LOG.debug("witness probe of {} (early): {}", peer, r));
      result.accept(r);
      return;
    }
    loop.relay(() -> {
      LOG.debug("witness probe of {}: {}", peer, r);
      try {
        result.accept(r);
      } catch (RuntimeException e) {
        LOG.error("witness probe of {}: the result consumer failed", peer, e);
      }
    });
  }

  /**
   * Only a refusal says that no process listens; every other error says that nothing is known.
   * ICMP port-unreachable also surfaces as ECONNREFUSED, and it too comes from the peer's host.
   */
  static ProbeResult resultFor(int errno) {
    if (Errno.ECONNREFUSED.is(errno)) {
      return ProbeResult.REFUSED;
    }
    if (Errno.ETIMEDOUT.is(errno)) {
      return ProbeResult.TIMED_OUT;
    }
    return ProbeResult.UNREACHABLE;
  }
}
