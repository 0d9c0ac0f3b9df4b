package io.ha4j.bench;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The fail-over benchmark's command line; see {@link #usage()}. */
record FailoverOptions(Path template, Path work, int runs, List<BigDecimal> intervals, List<Implementation> impls,
    int copies, int lossSeconds, int lossPercent, KillPhase phase, long seed, int steadySeconds,
    @Nullable Path namesFile, boolean warmUp, List<Death> deaths, int resetSeconds) {

  /** Seconds of steady answers from n1 before the kill, by default. */
  static final int DEFAULT_STEADY_SECONDS = 3;

  static String usage() {
    return "usage: FailoverBenchmark TEMPLATE WORKDIR [--runs N] [--intervals 1,0.1,0.02] "
        + "[--impls ha4j,keepalived] [--copies N] [--phase locked|random] [--seed N] [--steady SECONDS] [--loss-run SECONDS] "
        + "[--loss PERCENT] [--names-file F] [--warm-up on|off] [--death process|host|process,host] [--reset-run SECONDS]";
  }

  /** The options of {@code args}; a bad one is an {@link IllegalArgumentException} naming it. */
  static FailoverOptions parse(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("TEMPLATE and WORKDIR are required");
    }
    int runs = 10;
    List<BigDecimal> intervals = List.of(new BigDecimal("1"), new BigDecimal("0.1"), new BigDecimal("0.02"));
    List<Implementation> impls = List.of(Implementation.HA4J, Implementation.KEEPALIVED);
    int copies = 2;
    int lossSeconds = 0;
    int lossPercent = 5;
    KillPhase phase = KillPhase.LOCKED;
    long seed = 42;
    int steadySeconds = DEFAULT_STEADY_SECONDS;
    @Nullable Path names = null;
    boolean warmUp = true;
    List<Death> deaths = List.of(Death.PROCESS);
    int resetSeconds = 0;
    for (int i = 2; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--runs" -> runs = number(a, v, 0); // 0: the loss run only
        case "--intervals" -> {
          List<BigDecimal> l = new ArrayList<>();
          for (String s : v.split(",")) {
            BigDecimal d;
            try {
              d = new BigDecimal(s.strip());
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--intervals takes seconds separated by commas, was '" + v + "'", e);
            }
            if (d.compareTo(new BigDecimal("0.01")) < 0 || d.scale() > 2) {
              throw new IllegalArgumentException("intervals are seconds in steps of 0.01 (VRRPv3), was " + s);
            }
            l.add(d);
          }
          intervals = l;
        }
        case "--impls" -> {
          List<Implementation> l = new ArrayList<>();
          for (String s : v.split(",")) {
            l.add(Implementation.valueOf(s.strip().toUpperCase(Locale.ROOT)));
          }
          impls = l;
        }
        case "--copies" -> copies = number(a, v, 1);
        case "--loss-run" -> lossSeconds = number(a, v, 0);
        case "--reset-run" -> resetSeconds = number(a, v, 0);
        case "--loss" -> lossPercent = number(a, v, 0); // 0: a control run, the machine's load alone
        case "--phase" -> phase = switch (v) {
          case "locked" -> KillPhase.LOCKED;
          case "random" -> KillPhase.RANDOM;
          default -> throw new IllegalArgumentException("--phase takes locked or random, was '" + v + "'");
        };
        case "--seed" -> {
          try {
            seed = Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed takes an integer, was '" + v + "'", e);
          }
        }
        case "--steady" -> steadySeconds = number(a, v, 1);
        case "--names-file" -> names = Path.of(v);
        case "--warm-up" -> warmUp = switch (v) { // off: the director's take-over runs cold code
          case "on" -> true;
          case "off" -> false;
          default -> throw new IllegalArgumentException("--warm-up takes on or off, was '" + v + "'");
        };
        case "--death" -> {
          List<Death> l = new ArrayList<>();
          for (String s : v.split(",")) {
            try {
              l.add(Death.valueOf(s.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("--death takes process, host or both separated by a comma, was '" + v
                  + "'", e);
            }
          }
          deaths = List.copyOf(l);
        }
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (lossPercent > 100) {
      throw new IllegalArgumentException("--loss is a percentage, was " + lossPercent);
    }
    return new FailoverOptions(Path.of(args[0]), Path.of(args[1]), runs, intervals, impls, copies, lossSeconds,
        lossPercent, phase, seed, steadySeconds, names, warmUp, deaths, resetSeconds);
  }

  private static int number(String option, String v, int min) {
    try {
      int n = Integer.parseInt(v);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " takes an integer of at least " + min + ", was '" + v + "'");
  }
}
