package io.ha4j.heartbeat;

/**
 * Lets one log line of a kind through per interval and counts those it holds back, so that a
 * warning that any datagram can cause (a forged or misconfigured sender, one per packet) costs a
 * line a minute, not a line a packet, and no memory per sender (issue 16 item 14). Guarded by the
 * election's lock.
 */
final class LogThrottle {

  private final long intervalNanos;
  private boolean logged;
  private long lastNanos;
  private long held;

  LogThrottle(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /**
   * Whether a line may be logged at {@code nowNanos}; -1 if not (it is counted), otherwise how many
   * were held back since the last one logged.
   */
  long admit(long nowNanos) {
    if (logged && nowNanos - lastNanos < intervalNanos) {
      held++;
      return -1;
    }
    logged = true;
    lastNanos = nowNanos;
    long h = held;
    held = 0;
    return h;
  }
}
