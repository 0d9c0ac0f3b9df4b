package io.ha4j.examples.demo;

import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.examples.demo.real.RealDemo;
import io.ha4j.testkit.cluster.ClusterConfig;
import io.ha4j.testkit.cluster.ClusterHarness;
import io.ha4j.testkit.cluster.Fault;
import io.ha4j.testkit.cluster.History;
import io.ha4j.testkit.cluster.RealServerPool;
import io.ha4j.testkit.cluster.Scenario;
import io.ha4j.testkit.net.LinkConditions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Runs a three-director cluster (priorities 150/100/50, preempt, 100 ms advertisements) in front of
 * three real servers on virtual time, with no root and no setup, injects a master crash, its
 * restart, a partition of the master and its heal, a failed tracked check of the master and its
 * recovery, and a real server's failure and recovery, and prints what happened and what it cost.
 *
 * <pre>
 * examples/bin/demo [--seed N]
 * </pre>
 *
 * <p>The same seed prints the same output, byte for byte: the network's delays come from it and
 * nothing reads the wall clock.
 */
public final class Demo {

  /** Priorities of the three directors: n1 is the preferred master. */
  static final List<Integer> PRIORITIES = List.of(150, 100, 50);

  /** The LAN between the directors: 200 us of delay with up to 100 us of jitter drawn from the seed. */
  static final LinkConditions LAN =
      LinkConditions.PERFECT.withDelay(Duration.ofNanos(200_000), Duration.ofNanos(100_000));

  private Demo() {}

  /**
   * The real servers: three, each checked by every director every 500 ms (300 ms probe timeout),
   * out after 2 failed rounds and back after 2 answered ones, quiesced (weight 0) while down as
   * ldirectord's {@code quiescent=yes} does, so that connections to it drain instead of breaking.
   */
  static final RealServerPool REAL_SERVERS = RealServerPool.DEFAULT.withSize(3)
      .withChecks(Duration.ofMillis(500), Duration.ofMillis(300), 2, 2).withOnFailure(FailureMode.QUIESCE);

  /** The cluster the demo runs. */
  static ClusterConfig cluster() {
    return new ClusterConfig(PRIORITIES, true, Duration.ofMillis(100), LAN, 0.25, REAL_SERVERS);
  }

  /**
   * The faults, two seconds apart so that every one starts from a settled cluster (the convergence
   * bound of this cluster is about 0.6 s).
   */
  static Scenario scenario() {
    return new Scenario(cluster(), List.of(
        new Scenario.TimedFault(Duration.ofSeconds(2), new Fault.Crash("n1")),
        new Scenario.TimedFault(Duration.ofSeconds(4), new Fault.Restart("n1")),
        new Scenario.TimedFault(Duration.ofSeconds(6), new Fault.Partition(List.of(Set.of("n1"), Set.of("n2", "n3")))),
        new Scenario.TimedFault(Duration.ofSeconds(8), new Fault.Heal()),
        // A tracked check of the master fails (150 - 60 = 90 < 100): a hand-over without a crash.
        new Scenario.TimedFault(Duration.ofSeconds(10), new Fault.PriorityDrop("n1")),
        new Scenario.TimedFault(Duration.ofSeconds(12), new Fault.PriorityRestore("n1")),
        // A real server dies under the master n1; every director finds out through its own checks.
        new Scenario.TimedFault(Duration.ofSeconds(14), new Fault.RealServerDown("rs2")),
        new Scenario.TimedFault(Duration.ofSeconds(17), new Fault.RealServerUp("rs2"))),
        Duration.ofSeconds(20));
  }

  /** Runs the demo with {@code seed} and returns the cluster's history. */
  static History simulate(long seed) {
    return ClusterHarness.run(scenario(), seed).history();
  }

  /**
   * The command: prints to {@code out} (usage errors to {@code err}) and returns the exit status.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    long seed = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seed" -> {
          if (i + 1 >= args.length) {
            err.println("demo: --seed needs a number");
            return 2;
          }
          try {
            seed = Long.parseLong(args[++i]);
          } catch (NumberFormatException e) {
            err.println("demo: --seed needs a number, was '" + args[i] + "'");
            return 2;
          }
        }
        case "--real" -> {
          return RealDemo.run(out, err);
        }
        case "-h", "--help" -> {
          out.println("usage: demo [--seed N] | demo --real   (--real: as root, in namespaces with IPVS)");
          return 0;
        }
        default -> {
          err.println("demo: unknown argument '" + args[i] + "'; usage: demo [--seed N]");
          return 2;
        }
      }
    }
    History history = simulate(seed);
    out.print(DemoReport.render(history, seed));
    out.flush();
    return 0;
  }

  /** Entry point of {@code examples/bin/demo}. */
  public static void main(String[] args) {
    // The election logs every transition at INFO; the timeline already shows them.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(run(args, System.out, System.err));
  }
}
