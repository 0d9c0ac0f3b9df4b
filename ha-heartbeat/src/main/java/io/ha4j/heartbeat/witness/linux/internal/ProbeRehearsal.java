package io.ha4j.heartbeat.witness.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.ha4j.api.Clock;
import io.ha4j.linux.internal.Libc;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Early probes of a closed loopback port that the poll thread makes before it serves, so that the
 * one probe that matters, at a master's death, runs linked code: the probe's classes, lambdas and
 * native calls ({@code socket}, a non-blocking {@code connect}, {@code poll}, {@code SO_ERROR}, the
 * abort) are otherwise first used between the master's close and the take-over.
 *
 * <p>The port is one this thread holds bound without listening, so the loopback kernel refuses
 * each SYN with a reset and no other process can be reached. The rehearsal has an {@link
 * EarlyProbes} of its own: the loop's counts and answers see none of it. Where loopback is down a
 * connect fails at once and the rehearsal ends; nothing else depends on it.
 */
final class ProbeRehearsal {

  /**
   * Probes per start: above the JIT's first compilation threshold (200 calls) for what a probe
   * runs once. They take a few milliseconds of the start on a 2-vCPU VM.
   */
  static final int ROUNDS = 250;
  /** The most the rehearsal may take, also on a starved machine. */
  static final long BUDGET_NANOS = 250_000_000;

  private static final int POLL_TIMEOUT_MILLIS = 50;

  private ProbeRehearsal() {}

  /** Runs up to {@link #ROUNDS} probes on the calling thread (the poll thread); returns how many were answered. */
  static int run(WitnessLoop loop, Clock clock) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    int holder;
    InetSocketAddress target;
    try {
      holder = TcpSockets.open(loopback);
    } catch (LastErrorException e) {
      return 0;
    }
    try {
      TcpSockets.bind(holder, new InetSocketAddress(loopback, 0));
      target = TcpSockets.localAddress(holder);
    } catch (LastErrorException e) {
      TcpSockets.close(holder);
      return 0;
    }
    EarlyProbes early = new EarlyProbes();
    Memory pollFd = new Memory(WitnessLoop.POLLFD);
    int answered = 0;
    long end = clock.nanoTime() + BUDGET_NANOS;
    try {
      for (int i = 0; i < ROUNDS && clock.nanoTime() - end < 0; i++) {
        long now = clock.nanoTime();
        ProbeAttempt p = early.begin(loop, target, now);
        if (p == null) {
          break;
        }
        if (p.start(now)) {
          WitnessLoop.put(pollFd, 0, p.fd(), Libc.POLLOUT);
          Libc.INSTANCE.poll(pollFd, 1, POLL_TIMEOUT_MILLIS);
          if (WitnessLoop.revents(pollFd, 0) != 0) {
            p.ready();
          } else {
            p.expire();
          }
        }
        // As the election's probe does after an early one: it takes the answer.
        early.join(loop, target, now, now + BUDGET_NANOS, r -> { });
        if (!p.answered()) {
          break;
        }
        answered++;
      }
    } catch (LastErrorException e) {
      // a poll that failed: the rehearsal is only an optimisation
    } finally {
      TcpSockets.close(holder);
    }
    return answered;
  }
}
