package io.ha4j.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Probes the VIP from the client namespace: the next probe goes out when the previous one is
 * answered (after a pause of 1 ms, 0.15 ms in the window of a take-over: {@link
 * #probeFastFrom}) or after {@link #PROBE_TIMEOUT_NANOS}; late answers to older probes are
 * ignored.
 */
final class VipProber {
  /** How long a probe waits for its answer before the next one goes out. */
  static final long PROBE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** The prober's pause after an answer, outside the window around a take-over. */
  static final long PROBE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** The prober's pause after an answer in the window around a take-over (0.2 ms with the park's overshoot). */
  static final long FAST_PROBE_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(150);

  private final DatagramSocket socket;
  private final InetSocketAddress target;
  private final Thread thread;
  private final Map<String, Long> firstSinceMark = new ConcurrentHashMap<>();
  private final Map<String, Long> countSinceMark = new ConcurrentHashMap<>();
  private volatile @Nullable String streakName;
  private volatile long streakStart;
  private volatile long lastAnswer;
  private volatile long fastFrom = Long.MAX_VALUE;

  VipProber(DatagramSocket socket, InetSocketAddress target) {
    this.target = target;
    this.socket = socket;
    thread = new Thread(this::probe, "prober");
    thread.setDaemon(true);
    thread.start();
  }

  private void probe() {
    byte[] buf = new byte[64];
    long seq = 0;
    while (!socket.isClosed()) {
      try {
        seq++;
        byte[] out = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(out, out.length, target));
        long deadline = System.nanoTime() + PROBE_TIMEOUT_NANOS;
        boolean answered = false;
        while (!answered) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          DatagramPacket in = new DatagramPacket(buf, buf.length);
          try {
            socket.receive(in);
          } catch (SocketTimeoutException e) {
            break;
          }
          long at = System.nanoTime();
          String[] reply = new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII).split(" ");
          if (reply.length == 2 && reply[1].equals(Long.toString(seq))) {
            answered = true;
            record(reply[0], at);
          }
        }
        if (answered) {
          // With a 1 ms pause the answer time is a multiple of the probe period (1.1 ms): a
          // uniform error of up to a millisecond in every run, more than the difference
          // measured. In the window of a take-over the pause is short (without any, the probes
          // kept both CPUs of a small VM busy while the take-over ran).
          long untilFast = fastFrom - System.nanoTime();
          LockSupport.parkNanos(untilFast > 0 ? Math.min(PROBE_PAUSE_NANOS, untilFast) : FAST_PROBE_PAUSE_NANOS);
        }
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
        // No route yet, ICMP unreachable from a port without a listener: try again.
        LockSupport.parkNanos(PROBE_TIMEOUT_NANOS);
      }
    }
  }

  private void record(String name, long at) {
    // A streak is a run of answers from one node without a gap of 100 ms.
    if (!name.equals(streakName) || at - lastAnswer > TimeUnit.MILLISECONDS.toNanos(100)) {
      streakName = name;
      streakStart = at;
    }
    lastAnswer = at;
    firstSinceMark.putIfAbsent(name, at);
    countSinceMark.merge(name, 1L, Long::sum);
  }

  /** How long {@code name} has answered without interruption; 0 if it does not answer now. */
  long steadyFor(String name) {
    long now = System.nanoTime();
    if (!name.equals(streakName) || now - lastAnswer > TimeUnit.MILLISECONDS.toNanos(50)) {
      return 0;
    }
    return now - streakStart;
  }

  /**
   * From {@code nanoTime} on, the next probe goes out {@link #FAST_PROBE_PAUSE_NANOS} after the
   * previous one is answered; {@code Long.MAX_VALUE} restores the 1 ms pause.
   */
  void probeFastFrom(long nanoTime) {
    fastFrom = nanoTime;
  }

  /** Forgets the first answers; what {@link #awaitFirst} and {@link #answersSinceMark} count from. */
  void mark() {
    firstSinceMark.clear();
    countSinceMark.clear();
  }

  long answersSinceMark(String name) {
    return countSinceMark.getOrDefault(name, 0L);
  }

  /** The time of {@code name}'s first answer since {@link #mark}, waiting up to {@code timeout}; -1 if none. */
  long awaitFirst(String name, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    while (System.nanoTime() - deadline < 0) {
      Long at = firstSinceMark.get(name);
      if (at != null) {
        return at;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return -1;
  }

  void close() {
    socket.close();
  }
}
