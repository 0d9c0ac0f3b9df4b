package io.ha4j.testkit.cluster;

import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.reconcile.FailureMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The real servers behind the cluster's virtual service TCP {@link ClusterConfig#VIP}:{@link
 * #PORT}, named {@code rs1} .. {@code rsN} at 198.51.100.101, .102, ..., and how every member checks
 * them. Each member runs the real {@link io.ha4j.core.health.HealthEngine} with a probe over the
 * simulated network, so a real server that fails ({@link Fault.RealServerDown}) leaves each
 * member's table only when that member's own checks have failed {@code fall} rounds in a row.
 *
 * @param size number of real servers, 1..9
 * @param interval time between the planned starts of two check rounds (1 ms .. 60 s, whole ms)
 * @param timeout how long a probe may go unanswered (whole ms, at least 1 ms, at most the interval)
 * @param rise consecutive answered rounds that bring a real server back, 1..10
 * @param fall consecutive unanswered rounds that take it out, 1..10
 * @param onFailure what a failed real server becomes in the table: weight 0 or removed
 */
public record RealServerPool(int size, Duration interval, Duration timeout, int rise, int fall, FailureMode onFailure) {

  /** The port of the virtual service and of every real server. */
  public static final int PORT = 80;

  /** Two real servers checked every second (500 ms timeout, rise 1, fall 2), removed while down. */
  public static final RealServerPool DEFAULT =
      new RealServerPool(2, Duration.ofSeconds(1), Duration.ofMillis(500), 1, 2, FailureMode.REMOVE);

  public RealServerPool {
    if (size < 1 || size > 9) {
      throw new IllegalArgumentException("size must be 1..9 real servers, was " + size);
    }
    wholeMillis("interval", interval, 60_000);
    wholeMillis("timeout", timeout, interval.toMillis());
    if (rise < 1 || rise > 10) {
      throw new IllegalArgumentException("rise must be 1..10, was " + rise);
    }
    if (fall < 1 || fall > 10) {
      throw new IllegalArgumentException("fall must be 1..10, was " + fall);
    }
    Objects.requireNonNull(onFailure, "onFailure");
  }

  /** This pool with {@code n} real servers. */
  public RealServerPool withSize(int n) {
    return new RealServerPool(n, interval, timeout, rise, fall, onFailure);
  }

  /** This pool checked every {@code i} with probes that time out after {@code t}. */
  public RealServerPool withChecks(Duration i, Duration t, int r, int f) {
    return new RealServerPool(size, i, t, r, f, onFailure);
  }

  /** This pool with failed real servers quiesced (weight 0) or removed. */
  public RealServerPool withOnFailure(FailureMode mode) {
    return new RealServerPool(size, interval, timeout, rise, fall, mode);
  }

  /** The real servers' names, {@code rs1} .. {@code rsN}. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      names.add("rs" + i);
    }
    return names;
  }

  /** The address of real server {@code name}: 198.51.100.100 + its number. */
  public InetAddress address(String name) {
    try {
      return InetAddress.getByName("198.51.100." + (100 + index(name) + 1));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(name, e);
    }
  }

  /** The name of the real server at {@code address}, or null if none of the pool is there. */
  public @org.jspecify.annotations.Nullable String nameOf(InetAddress address) {
    for (String n : names()) {
      if (address(n).equals(address)) {
        return n;
      }
    }
    return null;
  }

  int index(String name) {
    int i = name.matches("rs[1-9]") ? name.charAt(2) - '1' : -1;
    if (i < 0 || i >= size) {
      throw new IllegalArgumentException("no real server '" + name + "' in a pool of " + size);
    }
    return i;
  }

  /**
   * The members' check settings: no retries, and a warm-up jitter (drawn from the run's seed) so
   * that the members' rounds do not all fall on the same instant.
   */
  public CheckSettings checks() {
    return new CheckSettings(interval, timeout, rise, fall, 0, Duration.ZERO, true);
  }

  /** The text form, {@code rs=3 check=500ms timeout=300ms rise=2 fall=2 on-failure=quiesce}. */
  String text() {
    return "rs=" + size + " check=" + Scenario.formatDuration(interval) + " timeout="
        + Scenario.formatDuration(timeout) + " rise=" + rise + " fall=" + fall + " on-failure="
        + onFailure.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static void wholeMillis(String field, Duration d, long maxMillis) {
    Objects.requireNonNull(d, field);
    if (d.toMillis() < 1 || d.toMillis() > maxMillis || !d.equals(Duration.ofMillis(d.toMillis()))) {
      throw new IllegalArgumentException(field + " must be whole milliseconds in 1 ms .. " + maxMillis + " ms, was " + d);
    }
  }
}
