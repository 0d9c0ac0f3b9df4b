package io.ha4j.testkit.cluster;

import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.testkit.net.LinkConditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik arbitraries for simulated clusters and fault schedules. They shrink towards fewer members,
 * fewer faults, shorter gaps and a perfect network, so a failing property reports a small
 * reproducer.
 *
 * <pre>{@code
 * @Property
 * void failoverIsSafe(@ForAll("scenarios") Scenario s, @ForAll long seed) {
 *   ClusterHarness.run(s, seed).assertInvariants();
 * }
 *
 * @Provide
 * Arbitrary<Scenario> scenarios() {
 *   return ClusterArbitraries.scenarios();
 * }
 * }</pre>
 *
 * <p>Faults come in episodes (a crash and the restart that follows it, a partition and its heal,
 * ...), separated by gaps of a quarter to ten advertisement intervals; every schedule ends with a
 * quiet tail longer than the convergence bound, so that the final state is checked.
 */
public final class ClusterArbitraries {

  /** Advertisement intervals the cluster arbitraries pick from. */
  public static final List<Duration> INTERVALS =
      List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1));

  /** The slowest and fastest clock rates of {@link Fault.ClockDrift} faults generated. */
  public static final double MIN_RATE = 0.9;

  public static final double MAX_RATE = 1.1;

  /** The kinds of fault episodes a schedule is made of. */
  public enum Episode {
    /** A member's host crashes and, after a gap, the member restarts. */
    CRASH_RESTART,
    /** A member's process is killed (its host stays up) and, after a gap, restarts. */
    KILL_RESTART,
    /** A reset is injected into the witness connections between two members (keyed: dropped). */
    WITNESS_RESET,
    /** A member stops gracefully and, after a gap, restarts. */
    STOP_RESTART,
    /** A running member restarts (stop, then a new incarnation). */
    RESTART,
    /** A running or crashed member restarts with its wall clock stepped back (a lower incarnation). */
    CLOCK_BACK,
    /** A member's address kernel refuses VIP adds for a while ({@link Fault.VipAddFailing}). */
    VIP_ADD,
    /** A member stalls for a quarter to ten advertisement intervals. */
    STALL,
    /** A member's tracked check fails (its priority drops) and recovers. */
    PRIORITY,
    /** A member's tracked interface goes down (FAULT) and comes back. */
    INTERFACE,
    /** A member's clock starts to run fast or slow (0.9 .. 1.1). */
    DRIFT,
    /** A two-way partition and its heal. */
    PARTITION,
    /** A one-way cut and its heal. */
    CUT,
    /** 5% to 30% loss on every link, then none. */
    LOSS,
    /** A real server fails and, after a gap, answers again; the members learn of it by their checks. */
    REAL_SERVER,
    /**
     * A member restarts with another member's node id (two-member clusters only: a third member
     * cannot tell twins apart; not in {@link #MIXED}).
     */
    DUPLICATE_ID,
    /** 100 to 3,000 random datagrams at a member's heartbeat port over up to ten intervals. */
    FLOOD
  }

  /**
   * The episodes of a mixed schedule ({@link #scenarios()}): all but {@link Episode#DUPLICATE_ID},
   * a misconfiguration that has a property of its own.
   */
  public static final Set<Episode> MIXED = Collections.unmodifiableSet(
      EnumSet.complementOf(EnumSet.of(Episode.DUPLICATE_ID)));

  private ClusterArbitraries() {}

  /** Clusters of {@code minNodes} to {@code maxNodes} members on a perfect LAN (100 us, no jitter). */
  public static Arbitrary<ClusterConfig> lanClusters(int minNodes, int maxNodes) {
    return clusters(minNodes, maxNodes).map(c -> c.withLink(LinkConditions.PERFECT));
  }

  /**
   * Clusters of 2 to 5 members with priorities 1..254 (ties possible), preempt on or off, one of
   * {@link #INTERVALS}, and links from a perfect LAN to one with jitter up to a quarter of the
   * interval, duplication up to 5% and reordering up to 20%.
   */
  public static Arbitrary<ClusterConfig> clusters() {
    return clusters(2, 5);
  }

  /** Clusters of {@code minNodes} to {@code maxNodes} members, otherwise as {@link #clusters()}. */
  public static Arbitrary<ClusterConfig> clusters(int minNodes, int maxNodes) {
    Arbitrary<List<Integer>> priorities = Arbitraries.integers().between(1, 254).withDistribution(
            net.jqwik.api.RandomDistribution.uniform())
        .list().ofMinSize(minNodes).ofMaxSize(maxNodes);
    Arbitrary<Boolean> preempt = Arbitraries.of(true, false);
    Arbitrary<Duration> interval = Arbitraries.of(INTERVALS);
    Arbitrary<Integer> jitterPercent = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just(0)), net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 25)));
    Arbitrary<Integer> delayPermille = Arbitraries.integers().between(1, 50);
    Arbitrary<Integer> duplicationPercent = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just(0)), net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 5)));
    Arbitrary<Integer> reorderPercent = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just(0)), net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 20)));
    return Combinators.combine(priorities, preempt, interval, delayPermille, jitterPercent, duplicationPercent,
            reorderPercent)
        .as((p, pre, a, delay, jitter, dup, reorder) -> {
          long an = a.toNanos();
          LinkConditions link = new LinkConditions(0, Duration.ofNanos(Math.max(100_000, an / 1000 * delay / 20)),
              Duration.ofNanos(an / 100 * jitter), dup / 100.0, reorder / 100.0);
          return new ClusterConfig(p, pre, a, link, 0.25);
        })
        .flatMap(c -> pools().map(c::withRealServers));
  }

  /**
   * Pools of 1 to 3 real servers checked every 100 ms to 1 s (timeout half the interval), rise and
   * fall 1 to 3, quiesced or removed when down.
   */
  public static Arbitrary<RealServerPool> pools() {
    Arbitrary<Duration> interval = Arbitraries.of(INTERVALS);
    Arbitrary<Integer> count = Arbitraries.integers().between(1, 3);
    Arbitrary<FailureMode> mode = Arbitraries.of(FailureMode.class);
    return Combinators.combine(count, interval, count, count, mode)
        .as((n, i, rise, fall, m) -> new RealServerPool(n, i, i.dividedBy(2), rise, fall, m));
  }

  /** Fault schedules over {@link #clusters()}, 0 to 4 episodes of every kind each. */
  public static Arbitrary<Scenario> scenarios() {
    return scenarios(clusters(), 4, MIXED);
  }

  /** Fault schedules over {@code clusters} with up to {@code maxEpisodes} episodes of the given kinds. */
  public static Arbitrary<Scenario> scenarios(Arbitrary<ClusterConfig> clusters, int maxEpisodes, Set<Episode> kinds) {
    return clusters.flatMap(c -> scenarios(c, maxEpisodes, kinds));
  }

  /** Fault schedules for {@code cluster} with up to {@code maxEpisodes} episodes of the given kinds. */
  public static Arbitrary<Scenario> scenarios(ClusterConfig cluster, int maxEpisodes, Set<Episode> kinds) {
    return episodes(cluster, kinds).list().ofMaxSize(maxEpisodes).map(list -> {
      long quarter = cluster.advertisementInterval().toNanos() / 4;
      List<Scenario.TimedFault> faults = new ArrayList<>();
      // Start after the first election has settled, so that episodes hit a cluster with a master.
      long t = settle(cluster);
      for (List<Step> episode : list) {
        for (Step s : episode) {
          t += s.gapQuarters() * quarter;
          faults.add(new Scenario.TimedFault(Duration.ofNanos(t), s.fault()));
        }
      }
      t += 2 * settle(cluster);
      return new Scenario(cluster, faults, Duration.ofNanos(t));
    });
  }

  /** One episode of faults for {@code cluster}: a fault and, for most, the recovery that follows. */
  public static Arbitrary<List<Fault>> faultEpisodes(ClusterConfig cluster) {
    return episodes(cluster, MIXED).map(l -> l.stream().map(Step::fault).toList());
  }

  private record Step(int gapQuarters, Fault fault) {}

  private static Arbitrary<List<Step>> episodes(ClusterConfig cluster, Set<Episode> kinds) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("at least one kind of episode is needed");
    }
    List<String> nodes = cluster.nodes();
    Arbitrary<String> node = Arbitraries.of(nodes);
    Arbitrary<Integer> gap = Arbitraries.integers().between(1, 40);
    long a = cluster.advertisementInterval().toMillis();
    Arbitrary<Duration> stall = Arbitraries.integers().between(1, 40).map(q -> Duration.ofMillis(a * q / 4));
    Arbitrary<Double> rate = Arbitraries.integers().between((int) (MIN_RATE * 100), (int) (MAX_RATE * 100))
        .map(r -> r / 100.0);
    Arbitrary<Double> loss = Arbitraries.integers().between(5, 30).map(p -> p / 100.0);
    Arbitrary<List<Set<String>>> split = Arbitraries.of(nodes).set().ofMinSize(1).ofMaxSize(nodes.size() - 1)
        .map(side -> {
          Set<String> other = new LinkedHashSet<>(nodes);
          other.removeAll(side);
          return List.of(side, other);
        });
    Arbitrary<List<String>> pair = Arbitraries.of(nodes).list().ofSize(2).uniqueElements();
    Map<Episode, Arbitrary<List<Step>>> all = new EnumMap<>(Episode.class);
    all.put(Episode.CRASH_RESTART, Combinators.combine(node, gap, gap)
        .as((n, g1, g2) -> twoSteps(g1, new Fault.Crash(n), g2, new Fault.Restart(n))));
    all.put(Episode.KILL_RESTART, Combinators.combine(node, gap, gap)
        .as((n, g1, g2) -> twoSteps(g1, new Fault.Kill(n), g2, new Fault.Restart(n))));
    all.put(Episode.WITNESS_RESET, Combinators.combine(pair, gap)
        .as((p, g) -> List.of(new Step(g, new Fault.WitnessReset(p.get(0), p.get(1))))));
    all.put(Episode.STOP_RESTART, Combinators.combine(node, gap, gap)
        .as((n, g1, g2) -> twoSteps(g1, new Fault.Stop(n), g2, new Fault.Restart(n))));
    all.put(Episode.RESTART, Combinators.combine(node, gap).as((n, g) -> List.of(new Step(g, new Fault.Restart(n)))));
    all.put(Episode.CLOCK_BACK, Combinators.combine(node, gap).as((n, g) -> List.of(new Step(g, new Fault.ClockBack(n)))));
    all.put(Episode.STALL, Combinators.combine(node, gap, stall)
        .as((n, g, d) -> List.of(new Step(g, new Fault.Stall(n, d)))));
    all.put(Episode.PRIORITY, Combinators.combine(node, gap, gap)
        .as((n, g1, g2) -> twoSteps(g1, new Fault.PriorityDrop(n), g2, new Fault.PriorityRestore(n))));
    all.put(Episode.INTERFACE, Combinators.combine(node, gap, gap)
        .as((n, g1, g2) -> twoSteps(g1, new Fault.InterfaceDown(n), g2, new Fault.InterfaceUp(n))));
    all.put(Episode.VIP_ADD, Combinators.combine(node, gap, gap)
        .as((n, g1, g2) -> twoSteps(g1, new Fault.VipAddFailing(n), g2, new Fault.VipAddWorking(n))));
    all.put(Episode.DRIFT, Combinators.combine(node, gap, rate)
        .as((n, g, r) -> List.of(new Step(g, new Fault.ClockDrift(n, r)))));
    all.put(Episode.PARTITION, Combinators.combine(split, gap, gap)
        .as((s, g1, g2) -> twoSteps(g1, new Fault.Partition(s), g2, new Fault.Heal())));
    all.put(Episode.CUT, Combinators.combine(pair, gap, gap)
        .as((p, g1, g2) -> twoSteps(g1, new Fault.Cut(p.get(0), p.get(1)), g2, new Fault.Heal())));
    Arbitrary<String> realServer = Arbitraries.of(cluster.realServers().names());
    all.put(Episode.REAL_SERVER, Combinators.combine(realServer, gap, gap)
        .as((r, g1, g2) -> twoSteps(g1, new Fault.RealServerDown(r), g2, new Fault.RealServerUp(r))));
    all.put(Episode.LOSS, Combinators.combine(loss, gap, gap)
        .as((p, g1, g2) -> twoSteps(g1, new Fault.Loss(p), g2, new Fault.Loss(0))));
    all.put(Episode.DUPLICATE_ID, Combinators.combine(pair, gap)
        .as((p, g) -> List.of(new Step(g, new Fault.DuplicateId(p.get(0), p.get(1))))));
    Arbitrary<Integer> datagrams = Arbitraries.integers().between(100, 3000);
    all.put(Episode.FLOOD, Combinators.combine(node, gap, datagrams, gap)
        .as((n, g, count, span) -> List.of(new Step(g, new Fault.Flood(n, count, Duration.ofMillis(a * span / 4))))));
    List<Arbitrary<List<Step>>> chosen = new ArrayList<>();
    for (Episode k : Episode.values()) {
      if (kinds.contains(k) && (k != Episode.DUPLICATE_ID || nodes.size() == 2)) {
        chosen.add(all.get(k));
      }
    }
    return Arbitraries.oneOf(chosen);
  }

  private static List<Step> twoSteps(int g1, Fault f1, int g2, Fault f2) {
    return List.of(new Step(g1, f1), new Step(g2, f2));
  }

  /**
   * How long a cluster needs to settle: the convergence bound at the slowest generated clock plus
   * one advertisement interval, rounded up to whole intervals.
   */
  static long settle(ClusterConfig cluster) {
    long a = cluster.advertisementInterval().toNanos();
    long one = cluster.link().delay().toNanos() + cluster.link().jitter().toNanos();
    long d = cluster.link().reordering() > 0 ? 2 * one : one;
    Bounds b = new Bounds(a, cluster.link().delay().toNanos(), d, 1 / MIN_RATE, MAX_RATE, cluster.stallThreshold());
    long n = b.convergenceNanos() + a;
    return (n + a - 1) / a * a;
  }
}
