package io.ha4j.testkit.net;

import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated link treats each datagram.
 *
 * @param loss probability 0..1 that a datagram is dropped
 * @param delay fixed one-way delay
 * @param jitter extra delay drawn uniformly from [0, jitter)
 * @param duplication probability 0..1 that a datagram is delivered twice
 * @param reordering probability 0..1 that a datagram is held back by an extra {@code delay +
 *     jitter}, so that later ones overtake it
 */
public record LinkConditions(
    double loss, Duration delay, Duration jitter, double duplication, double reordering) {

  /** A perfect link: no loss, 100 microseconds of delay, like a LAN. */
  public static final LinkConditions PERFECT =
      new LinkConditions(0, Duration.ofNanos(100_000), Duration.ZERO, 0, 0);

  public LinkConditions {
    checkProbability("loss", loss);
    checkProbability("duplication", duplication);
    checkProbability("reordering", reordering);
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(jitter, "jitter");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    if (jitter.isNegative()) {
      throw new IllegalArgumentException("jitter must not be negative, was " + jitter);
    }
  }

  public LinkConditions withLoss(double p) {
    return new LinkConditions(p, delay, jitter, duplication, reordering);
  }

  public LinkConditions withDelay(Duration d, Duration j) {
    return new LinkConditions(loss, d, j, duplication, reordering);
  }

  public LinkConditions withDuplication(double p) {
    return new LinkConditions(loss, delay, jitter, p, reordering);
  }

  public LinkConditions withReordering(double p) {
    return new LinkConditions(loss, delay, jitter, duplication, p);
  }

  private static void checkProbability(String field, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(field + " must be a probability 0..1, was " + p);
    }
  }
}
