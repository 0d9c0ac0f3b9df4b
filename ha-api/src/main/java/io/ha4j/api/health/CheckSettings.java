package io.ha4j.api.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how strictly a target is checked.
 *
 * <p>Rounds start every {@code interval}, measured from planned starts, which fall on whole
 * milliseconds of the scheduler's clock (rounds due in the same millisecond share one scheduler
 * task); a round (all its attempts)
 * that takes longer than the interval delays the next one until it has finished, so the rounds of a
 * target never overlap. An attempt that fails is retried up to {@code retries} times, {@code
 * retryDelay} apart, within the same round (keepalived's {@code retry} / {@code
 * delay_before_retry}); only the round's last attempt counts towards rise and fall.
 *
 * <p>Thresholds: a target starts {@link HealthState#UNKNOWN}; it becomes {@link HealthState#UP}
 * after {@code rise} consecutive successful rounds and {@link HealthState#DOWN} after {@code fall}
 * consecutive failed rounds, from UNKNOWN as from the opposite state (keepalived's {@code rise} /
 * {@code fall}; with the defaults of 1 a single round decides, like ldirectord).
 *
 * @param interval time between the planned starts of two rounds, positive
 * @param timeout how long one attempt may take, positive
 * @param rise consecutive successful rounds needed to become UP, at least 1
 * @param fall consecutive failed rounds needed to become DOWN, at least 1
 * @param retries extra attempts within a round after a failure, 0 or more
 * @param retryDelay pause before each retry, zero or positive
 * @param warmupJitter whether the first round starts after a random delay in {@code [0, interval)},
 *     so that thousands of targets registered together do not all fire at once
 */
public record CheckSettings(
    Duration interval,
    Duration timeout,
    int rise,
    int fall,
    int retries,
    Duration retryDelay,
    boolean warmupJitter) {

  public CheckSettings {
    requirePositive("interval", interval);
    requirePositive("timeout", timeout);
    if (rise < 1) {
      throw new IllegalArgumentException("rise must be at least 1, was " + rise);
    }
    if (fall < 1) {
      throw new IllegalArgumentException("fall must be at least 1, was " + fall);
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative, was " + retries);
    }
    Objects.requireNonNull(retryDelay, "retryDelay");
    if (retryDelay.isNegative()) {
      throw new IllegalArgumentException("retryDelay must not be negative, was " + retryDelay);
    }
  }

  /** Checks every {@code interval} with the given timeout, rise 1, fall 1, no retries, jitter on. */
  public static CheckSettings of(Duration interval, Duration timeout) {
    return new CheckSettings(interval, timeout, 1, 1, 0, Duration.ofSeconds(1), true);
  }

  /** ldirectord's defaults: every 10 s, 5 s timeout. */
  public static CheckSettings defaults() {
    return of(Duration.ofSeconds(10), Duration.ofSeconds(5));
  }

  public CheckSettings withRise(int r) {
    return new CheckSettings(interval, timeout, r, fall, retries, retryDelay, warmupJitter);
  }

  public CheckSettings withFall(int f) {
    return new CheckSettings(interval, timeout, rise, f, retries, retryDelay, warmupJitter);
  }

  public CheckSettings withRetries(int n, Duration delay) {
    return new CheckSettings(interval, timeout, rise, fall, n, delay, warmupJitter);
  }

  public CheckSettings withWarmupJitter(boolean on) {
    return new CheckSettings(interval, timeout, rise, fall, retries, retryDelay, on);
  }

  private static void requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }
}
