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
 */
final class ProbeAttempt {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeAttempt.class);

  private final InetSocketAddress peer;
  private final long deadline;
  private final Consumer<ProbeResult> result;
  private int fd = -1;
  private boolean answered;

  ProbeAttempt(InetSocketAddress peer, long deadline, Consumer<ProbeResult> result) {
    this.peer = peer;
    this.deadline = deadline;
    this.result = result;
  }

  /** Starts the connect; false if it was answered at once (no descriptor to poll). */
  boolean start() {
    try {
      fd = TcpSockets.open(peer.getAddress());
    } catch (LastErrorException e) {
      LOG.warn("witness probe of {}: no socket: {}", peer, Errno.describe(e.getErrorCode()));
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
    LOG.debug("witness probe of {}: {}", peer, r);
    try {
      result.accept(r);
    } catch (RuntimeException e) {
      LOG.error("witness probe of {}: the result consumer failed", peer, e);
    }
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
