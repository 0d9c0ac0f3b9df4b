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
 * @param margin {@code sessionTimeout - readTimeout -} {@link #CLIENT_CLEANUP}: the least time
 *     between SUSPENDED and the expiry of the session on the ensemble, less a one-way network delay
 */
public record ReleaseMargin(Duration sessionTimeout, Duration readTimeout, Duration margin) {

  /**
   * How long the ZooKeeper 3.9 client's NIO socket (its default) waits in {@code cleanup()} after a
   * failed connection before it queues the {@code Disconnected} event that becomes SUSPENDED: a
   * fixed {@code Thread.sleep(100)} in {@code ClientCnxnSocketNIO}, measured here as 100-120 ms
   * between a server's death and the election's BACKUP.
   */
  public static final Duration CLIENT_CLEANUP = Duration.ofMillis(100);

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
    long margin = ms - read - CLIENT_CLEANUP.toMillis();
    if (margin <= 0) {
      throw new IllegalArgumentException("a session timeout of " + ms + " ms leaves no release margin: the client"
          + " suspends " + read + " ms + " + CLIENT_CLEANUP.toMillis() + " ms after the last answer it heard");
    }
    return new ReleaseMargin(Duration.ofMillis(ms), Duration.ofMillis(read), Duration.ofMillis(margin));
  }

  @Override
  public String toString() {
    return "session timeout " + sessionTimeout.toMillis() + " ms, read timeout " + readTimeout.toMillis()
        + " ms, release margin " + margin.toMillis() + " ms";
  }
}
