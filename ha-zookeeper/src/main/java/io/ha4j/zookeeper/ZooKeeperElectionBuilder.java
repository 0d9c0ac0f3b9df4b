package io.ha4j.zookeeper;

import io.ha4j.api.NodeId;
import io.ha4j.api.Scheduler;
import io.ha4j.api.election.Tracked;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link ZooKeeperElection}. The connect string and the node id are required; every
 * other setting has a default. Each may be set once.
 */
public final class ZooKeeperElectionBuilder {

  /** The default session timeout: long enough for a JVM's ordinary pauses, short enough for fail-over. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
  /** The default connection timeout: Curator's wait for a first connection in blocking calls. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
  /** The default path of the election's znodes. */
  public static final String DEFAULT_PATH = "/ha4j/election";

  @Nullable String connectString;
  @Nullable Duration sessionTimeout;
  @Nullable Duration connectionTimeout;
  @Nullable String path;
  @Nullable Integer priority;
  @Nullable Boolean preempt;
  @Nullable NodeId nodeId;
  final Map<Tracked, Integer> weights = new LinkedHashMap<>();

  ZooKeeperElectionBuilder() {}

  /** The ensemble, as ZooKeeper's client takes it: {@code host:port,host:port[/chroot]}. */
  public ZooKeeperElectionBuilder connectString(String value) {
    requireUnset(connectString, "connect string");
    Objects.requireNonNull(value, "connectString");
    if (value.isBlank()) {
      throw new IllegalArgumentException("connect string must not be empty");
    }
    connectString = value;
    return this;
  }

  /**
   * The session timeout to ask for; the servers bound it to 2..20 ticks. Default {@link
   * #DEFAULT_SESSION_TIMEOUT}. The release margin is a third of what they grant less 100 ms
   * ({@link ReleaseMargin}); a timeout that leaves none is refused.
   */
  public ZooKeeperElectionBuilder sessionTimeout(Duration value) {
    requireUnset(sessionTimeout, "session timeout");
    sessionTimeout = positive(value, "session timeout");
    ReleaseMargin.of(value);
    return this;
  }

  /** Curator's connection timeout. Default {@link #DEFAULT_CONNECTION_TIMEOUT}. */
  public ZooKeeperElectionBuilder connectionTimeout(Duration value) {
    requireUnset(connectionTimeout, "connection timeout");
    connectionTimeout = positive(value, "connection timeout");
    return this;
  }

  /** The znode under which the group's candidates and leader node live. Default {@link #DEFAULT_PATH}. */
  public ZooKeeperElectionBuilder path(String value) {
    requireUnset(path, "path");
    Objects.requireNonNull(value, "path");
    if (!value.startsWith("/") || value.length() < 2 || value.endsWith("/") || value.contains("//")) {
      throw new IllegalArgumentException("path must be an absolute znode path like /ha4j/election, was '" + value + "'");
    }
    path = value;
    return this;
  }

  /** The base priority, 1 to 255 (255: always preferred). Default 100. */
  public ZooKeeperElectionBuilder priority(int value) {
    requireUnset(priority, "priority");
    if (value < 1 || value > 255) {
      throw new IllegalArgumentException("priority must be 1..255, was " + value);
    }
    priority = value;
    return this;
  }

  /** Whether this member takes over from a leader of lower priority. Default true, as in VRRP. */
  public ZooKeeperElectionBuilder preempt(boolean value) {
    requireUnset(preempt, "preempt");
    preempt = value;
    return this;
  }

  /** This member's id, unique in the group. Required. */
  public ZooKeeperElectionBuilder nodeId(NodeId value) {
    requireUnset(nodeId, "node id");
    nodeId = Objects.requireNonNull(value, "nodeId");
    return this;
  }

  /** Tracks {@code object} with {@code weight} -254..254 (see {@link io.ha4j.api.election.Election#setTracked}). */
  public ZooKeeperElectionBuilder track(Tracked object, int weight) {
    Objects.requireNonNull(object, "object");
    if (weight < -254 || weight > 254) {
      throw new IllegalArgumentException("weight of " + object + " must be -254..254, was " + weight);
    }
    if (weights.putIfAbsent(object, weight) != null) {
      throw new IllegalStateException(object + " is already tracked");
    }
    return this;
  }

  /** An election with these settings, its timers and state changes on {@code scheduler}. Not started. */
  public ZooKeeperElection build(Scheduler scheduler) {
    if (connectString == null) {
      throw new IllegalStateException("connect string is required");
    }
    if (nodeId == null) {
      throw new IllegalStateException("node id is required");
    }
    return new ZooKeeperElection(this, Objects.requireNonNull(scheduler, "scheduler"));
  }

  private static void requireUnset(@Nullable Object current, String what) {
    if (current != null) {
      throw new IllegalStateException(what + " was already set to " + current);
    }
  }

  private static Duration positive(Duration value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(what + " must be positive milliseconds, was " + value);
    }
    return value;
  }
}
