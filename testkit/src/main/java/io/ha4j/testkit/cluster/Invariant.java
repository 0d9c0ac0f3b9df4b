package io.ha4j.testkit.cluster;

import java.util.List;

/**
 * The safety and liveness properties of a cluster, checked over its {@link History}. The time
 * bounds are those of {@link Bounds} ({@code A} advertisement interval, {@code D} longest one-way
 * delay, {@code B} convergence bound).
 *
 * <p>Terms:
 *
 * <ul>
 *   <li><b>Up</b>: a member that was started and neither crashed nor stopped since. <b>Eligible</b>:
 *       up, its tracked interface up, its address kernel taking adds ({@link Fault.VipAddFailing}),
 *       and not stalled.
 *   <li><b>Connected partition</b>: a set of up members in which every two reach each other both
 *       ways, and which no link connects to any other up member in either direction (a one-way cut
 *       makes the members on both sides of it belong to no connected partition).
 *   <li><b>Disturbance</b>: any injected fault or the end of a stall, and the start of the members;
 *       except a harmless stall: one that {@link Bounds#harmlessStall} says cannot disturb the
 *       election, of a member not stalled already, that starts at least {@code B} after the
 *       previous disturbance, and that no other
 *       fault follows until {@code A + D} after it ended. A long stall of a backup is harmless by
 *       this definition: acting on its stale master-down timer would be a false fail-over.
 *   <li><b>Stable period</b>: the time from {@code B} after a disturbance to the next one, while
 *       injected loss is below {@link Bounds#STABLE_LOSS} (loss from {@link Fault.Loss} at or above
 *       it makes a period unstable). Link delay, jitter, duplication and reordering of the cluster's
 *       settings are part of every period, stable or not.
 * </ul>
 */
public enum Invariant {
  /**
   * Safety: in a stable period, every connected partition with an eligible member and no stalled
   * member has exactly one MASTER, and it alone owns the virtual address.
   */
  S1,
  /**
   * Safety: two up, unstalled members that reach each other both ways, with loss below {@link
   * Bounds#STABLE_LOSS}, never own the virtual address at the same time for longer than {@code B}
   * (a split brain heals within the bound).
   */
  S2,
  /**
   * Liveness: when the master of a settled connected partition crashes (or hands over: stop,
   * restart, interface down), an eligible backup of that partition is master within {@link
   * Bounds#crashFailoverNanos} ({@code f * (masterDown + A) + D}), or within {@link
   * Bounds#handoverNanos} ({@code D + f * skew + A/4}) after a priority-0 hand-over; unless another
   * disturbance comes first. Without clock drift, when the best backup's skew leads the next one's
   * by more than {@code D + delay spread}, only the best backup becomes master (no double
   * take-over).
   */
  L1,
  /**
   * Liveness, the death witness (issue 17): when the master of a settled connected partition is
   * {@linkplain Fault.Kill killed} (its process dies, its host stays up), an eligible backup of that
   * partition is master within {@link Bounds#witnessNanos} ({@code f * stagger(p) + close + 3D}:
   * the kernel's close, its way to the backup, the probe's round trip, the stagger of the best
   * backup), far below L1's bound; unless another disturbance comes first. Without clock drift,
   * when the best backup's stagger leads the next one's by more than {@code D + delay spread + 1
   * ms}, only the best backup becomes master.
   */
  W1,
  /**
   * Safety: a master that is up and not stalled owns the virtual address within {@link
   * Bounds#vipHeldNanos} of becoming master (or of its stall's end), or is master no longer: a
   * master that advertises without holding the VIP makes a cluster where nobody holds it.
   */
  V1,
  /** Liveness without flapping: in a stable period, no member changes role at all. */
  L2,
  /**
   * Convergence: at the start of every stable period (so {@code B} after a heal or any other
   * disturbance) every connected partition as in S1 has exactly one master, and with preempt on it
   * is a member of the highest effective priority among the eligible ones.
   */
  L3,
  /**
   * Health: a real server that failed leaves the table of every running member (weight 0 or
   * removed, per {@link RealServerPool#onFailure()}) within {@link Bounds#detectionNanos}
   * ({@code f * (fall * interval + timeout + 2 ms)}) of its failure, or of the member's start or the
   * end of its stall if that came later; it stays out while it is down.
   */
  H1;

  /** The violations of this invariant in {@code history}. */
  public List<Violation> check(History history) {
    return checkAll(history).stream().filter(v -> v.invariant() == this).toList();
  }

  /** The violations of every invariant in {@code history}, in time order per invariant. */
  public static List<Violation> checkAll(History history) {
    return new HistoryAnalysis(history).run();
  }
}
