package io.ha4j.zookeeper;

import java.time.Duration;
import java.util.Objects;

/**
 * How long before the ensemble can expire a session its client gives up on the connection: the
 * time a master has to release its virtual addresses after SUSPENDED before another member can be
 * granted the leader node. See the package documentation for the derivation.
 *
 * @param sessionTimeout the session timeout the server negotiated
 * @param readTimeout the ZooKeeper client's read timeout, {@code sessionTimeout * 2 / 3} in whole
 *     milliseconds as {@code ClientCnxn} computes it: the silence after which it drops the
 *     connection (and Curator reports SUSPENDED)
 * @param margin {@code sessionTimeout - readTimeout}: the least time between SUSPENDED and the
 *     expiry of the session on the ensemble, less a one-way network delay
 */
public record ReleaseMargin(Duration sessionTimeout, Duration readTimeout, Duration margin) {

  public ReleaseMargin {
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(margin, "margin");
  }

  /** The margin for a negotiated session timeout of {@code sessionTimeout}. */
  public static ReleaseMargin of(Duration sessionTimeout) {
    long ms = sessionTimeout.toMillis();
    if (ms <= 0) {
      throw new IllegalArgumentException("session timeout must be positive, was " + sessionTimeout);
    }
    long read = ms * 2 / 3;
    return new ReleaseMargin(Duration.ofMillis(ms), Duration.ofMillis(read), Duration.ofMillis(ms - read));
  }

  @Override
  public String toString() {
    return "session timeout " + sessionTimeout.toMillis() + " ms, read timeout " + readTimeout.toMillis()
        + " ms, release margin " + margin.toMillis() + " ms";
  }
}
