package io.ha4j.bench;

import io.ha4j.bench.linux.AdvertisementSniffer;
import io.ha4j.director.DirectorMain;
import io.ha4j.netlink.NetworkNamespace;
import io.ha4j.testkit.netns.ExecResult;
import io.ha4j.testkit.netns.NetnsRig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Crash fail-over time of ha4j's director against keepalived 2.2.7, seen from a client, on a
 * bridged namespace rig (testkit's {@link NetnsRig}): directors in hosts 1 and 2 (priority 150 and
 * 100), a client in host 3. Run it through {@code bench/failover-vs-keepalived.sh}.
 *
 * <p>Each run starts a fresh pair from one keepalived.conf template rendered for both nodes (the
 * director reads the subset; ha4j-only keywords only in the ha4j rendering), waits until the
 * client has been answered at the VIP by n1 for at least 3 s and n2 holds no VIP, waits for the
 * next advertisement of n1 to arrive at n2 and a planned fraction of an interval after it (the
 * phase; from the latest of ha4j's copies), then {@code kill -9}s n1 (ha4j: the JVM; keepalived: the VRRP child and the parent at once, else
 * the parent respawns the child). The time is from the kill until the client's first answer at the
 * VIP from n2. The killed node keeps its VIP and its responder keeps answering, as a hung box would:
 * the new master's gratuitous ARP has to win the client over, and that is part of the time. After
 * the run both nodes are killed, the VIPs removed and the client's ARP cache flushed.
 *
 * <p>Phases are paired (common random numbers). The time measured is the backup's
 * Master_Down_Interval minus the phase (how long before the kill n1's last advertisement arrived)
 * plus the take-over's own cost; a phase drawn at random per run moves a 10-run median by about
 * ±5 %, which hides the difference being measured (about 1 %). So for N runs per interval the
 * phase fractions (r + 0.5) / N, each stratum once, are shuffled once per interval with a fixed
 * seed ({@code --seed}, 42), and run r of every implementation is killed at the same fraction of
 * an interval after an advertisement's arrival: the phase cancels in the paired difference
 * ha4j_r - keepalived_r. {@code --phase random} is the old behaviour: a random wait of up to an
 * interval after settling, drawn per run and implementation. Either way the phase actually hit is
 * measured and "from the last advertisement" = fail-over + phase is printed: the
 * Master_Down_Interval plus the implementation's take-over overhead, whatever the phase.
 *
 * <p>Advertisement arrivals are timed by raw-socket sniffers in n2's namespace ({@link
 * AdvertisementSniffer}: IP protocol 112 for keepalived's unicast VRRP, UDP to port {@value
 * #HEARTBEAT_PORT} for ha4j's heartbeat), on the same clock as the kill; of ha4j's copies of one
 * advertisement the latest counts, since the backup's timer runs from it.
 *
 * <p>The answers come from a UDP responder per director namespace (bound to 0.0.0.0, replying with
 * the node's name and the probe's number) and a prober in the client namespace that sends a probe
 * when the previous one is answered or 2 ms passed: 1 ms after an answer while nothing happens,
 * 0.15 ms after it from 5 ms before n2's earliest possible take-over (n1's last advertisement
 * plus n2's Master_Down_Interval) until n2 answers, since a 1.1 ms probe period made every time a
 * multiple of it (a uniform error of up to 1 ms per run, more than the difference measured). Both
 * are sockets of this JVM, opened in
 * the namespaces with setns, so every timestamp is this process's {@link System#nanoTime()}.
 *
 * <p>{@code --loss-run S} then runs an ha4j pair at 20 ms for S seconds while nftables drops a
 * random {@code --loss}% of the heartbeat datagrams arriving at each director, and counts the
 * backup's takeovers from the live master (false fail-overs) in the director logs, with the
 * master's stalls (late advertisement timers) next to them: on a starved CPU a master that stands
 * still is a master that is gone for its backup, whatever the loss.
 */
public final class FailoverBenchmark {

  static final String VIP = "198.51.100.100";
  static final int RESPONDER_PORT = 7007;
  static final int HEARTBEAT_PORT = 5405;
  static final String NFT_TABLE = "failbench";
  static final long PROBE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  static final long SETTLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(40);
  static final long FAILOVER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  /**
   * How long before n2's earliest possible take-over (its Master_Down_Interval after n1's last
   * advertisement) the prober stops pausing between probes.
   */
  static final long FAST_PROBING_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** The prober's pause after an answer, outside the window around a take-over. */
  static final long PROBE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** The prober's pause after an answer in the window around a take-over (0.2 ms with the park's overshoot). */
  static final long FAST_PROBE_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(150);
  /** The kill waits parked until this long before its time, then spins: parking overshoots by tens of µs. */
  static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(300);
  static final int BACKUP_PRIORITY = 100;
  /** Seconds of steady answers from n1 before the kill, by default. */
  static final int DEFAULT_STEADY_SECONDS = 3;

  enum Impl { HA4J, KEEPALIVED }

  /** When in the advertisement cycle n1 is killed. */
  enum Phase {
    /** At a planned fraction of an interval after an advertisement's arrival, the same for run r of each implementation. */
    LOCKED,
    /** At a random time of up to an interval after settling, independent per run: the old behaviour. */
    RANDOM
  }

  /** The options; see {@link #usage()}. */
  record Options(Path template, Path work, int runs, List<BigDecimal> intervals, List<Impl> impls, int copies,
      int lossSeconds, int lossPercent, Phase phase, long seed, int steadySeconds, @Nullable Path namesFile) {}

  /**
   * Run {@code run} (0-based) of {@code impl}, killed at {@code fraction} of an interval after an
   * advertisement's arrival ({@link Phase#LOCKED}) or after settling ({@link Phase#RANDOM}).
   */
  record PlannedRun(int run, Impl impl, double fraction) {
    PlannedRun {
      if (run < 0) {
        throw new IllegalArgumentException("run must be >= 0, was " + run);
      }
      Objects.requireNonNull(impl, "impl");
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("fraction must be in [0, 1), was " + fraction);
      }
    }
  }

  /** A run that succeeded: kill until answer, and the phase hit (NaN when no advertisement was sniffed before the kill). */
  record Measurement(BigDecimal interval, int run, Impl impl, double failoverMs, double phaseMs) {
    /** Master_Down_Interval plus the take-over's own cost, whatever the phase. */
    double fromLastAdvertisementMs() {
      return failoverMs + phaseMs;
    }

    String cell() {
      return impl.name().toLowerCase(Locale.ROOT) + " " + interval.toPlainString();
    }
  }

  private final Options options;
  private final NetnsRig rig;
  private final Prober prober;
  private final List<Responder> responders = new ArrayList<>();
  private final Map<Impl, AdvertisementSniffer> sniffers = new EnumMap<>(Impl.class);
  private int pairCounter;

  private FailoverBenchmark(Options options, NetnsRig rig) {
    this.options = options;
    this.rig = rig;
    for (int i = 1; i <= 2; i++) {
      responders.add(new Responder(rig.namespace(i), name(i)));
    }
    this.prober = new Prober(rig.namespace(3), new InetSocketAddress(VIP, RESPONDER_PORT));
  }

  /** n1's advertisements as they arrive in n2's namespace, one sniffer per implementation measured. */
  private void openSniffers() throws IOException {
    InetAddress a = rig.address(1);
    if (!(a instanceof Inet4Address n1)) {
      throw new IllegalStateException("n1's address must be IPv4, was " + a);
    }
    for (Impl impl : options.impls()) {
      AdvertisementFilter filter = impl == Impl.HA4J
          ? AdvertisementFilter.udp(n1, HEARTBEAT_PORT)
          : AdvertisementFilter.vrrp(n1);
      sniffers.put(impl, AdvertisementSniffer.open(rig.namespace(2), filter.protocol(), filter,
          impl.name().toLowerCase(Locale.ROOT) + "-n2"));
    }
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("failover benchmark: " + e.getMessage() + "\n" + usage());
      System.exit(64);
      return;
    }
    try (NetnsRig rig = NetnsRig.bridge("fob", 3)) {
      Path names = o.namesFile();
      if (names != null) {
        Files.writeString(names, String.join("\n", rig.namespace(1), rig.namespace(2), rig.namespace(3),
            rig.bridgeNamespace()) + "\n");
      }
      FailoverBenchmark b = new FailoverBenchmark(o, rig);
      try {
        b.openSniffers();
        b.run();
      } finally {
        b.prober.close();
        b.responders.forEach(Responder::close);
        b.sniffers.values().forEach(AdvertisementSniffer::close);
      }
    }
  }

  static String usage() {
    return "usage: FailoverBenchmark TEMPLATE WORKDIR [--runs N] [--intervals 1,0.1,0.02] "
        + "[--impls ha4j,keepalived] [--copies N] [--phase locked|random] [--seed N] [--steady SECONDS] [--loss-run SECONDS] "
        + "[--loss PERCENT] [--names-file F]";
  }

  static Options parse(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("TEMPLATE and WORKDIR are required");
    }
    int runs = 10;
    List<BigDecimal> intervals = List.of(new BigDecimal("1"), new BigDecimal("0.1"), new BigDecimal("0.02"));
    List<Impl> impls = List.of(Impl.HA4J, Impl.KEEPALIVED);
    int copies = 2;
    int lossSeconds = 0;
    int lossPercent = 5;
    Phase phase = Phase.LOCKED;
    long seed = 42;
    int steadySeconds = DEFAULT_STEADY_SECONDS;
    @Nullable Path names = null;
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
          List<Impl> l = new ArrayList<>();
          for (String s : v.split(",")) {
            l.add(Impl.valueOf(s.strip().toUpperCase(Locale.ROOT)));
          }
          impls = l;
        }
        case "--copies" -> copies = number(a, v, 1);
        case "--loss-run" -> lossSeconds = number(a, v, 0);
        case "--loss" -> lossPercent = number(a, v, 0); // 0: a control run, the machine's load alone
        case "--phase" -> phase = switch (v) {
          case "locked" -> Phase.LOCKED;
          case "random" -> Phase.RANDOM;
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
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (lossPercent > 100) {
      throw new IllegalArgumentException("--loss is a percentage, was " + lossPercent);
    }
    return new Options(Path.of(args[0]), Path.of(args[1]), runs, intervals, impls, copies, lossSeconds, lossPercent,
        phase, seed, steadySeconds, names);
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

  private static String name(int host) {
    return "n" + host;
  }

  // ---- the comparison ---------------------------------------------------------------------

  private void run() throws Exception {
    System.out.printf("rig: directors n1 (priority 150), n2 (100) in %s, %s; client n3 in %s; VIP %s%n",
        rig.namespace(1), rig.namespace(2), rig.namespace(3), VIP);
    System.out.printf("%s; %s; ha4j sends each advertisement %d time(s) (ha4j_advert_copies)%n",
        keepalivedVersion(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        options.copies());
    System.out.printf("phase %s, seed %d%n", options.phase().name().toLowerCase(Locale.ROOT), options.seed());
    List<Measurement> results = new ArrayList<>();
    if (options.runs() > 0) {
      for (BigDecimal interval : options.intervals()) {
        double intervalMs = interval.doubleValue() * 1000;
        for (PlannedRun planned : plan(options.runs(), options.impls(), options.phase(), options.seed())) {
          String cell = planned.impl().name().toLowerCase(Locale.ROOT) + " " + interval.toPlainString();
          Optional<Measurement> m = measure(planned, interval);
          String shown = m.map(v -> String.format(Locale.ROOT, "%.1f ms, phase %.2f ms%s, from last adv %.1f ms",
              v.failoverMs(), v.phaseMs(), options.phase() == Phase.LOCKED
                  ? String.format(Locale.ROOT, " (planned %.2f)", planned.fraction() * intervalMs) : "",
              v.fromLastAdvertisementMs())).orElse("FAILED");
          System.out.printf("  %-16s run %2d/%d: %s%n", cell, planned.run() + 1, options.runs(), shown);
          m.ifPresent(results::add);
        }
      }
      printTable(results);
    }
    if (options.lossSeconds() > 0) {
      lossRun();
    }
  }

  /**
   * The runs of one interval in the order they are measured: run by run, the implementations
   * alternating within a run (which spreads the machine's load over both). {@link Phase#LOCKED}:
   * the fractions (r + 0.5) / runs, each once, shuffled with {@code seed}; run r of every
   * implementation gets the same one. {@link Phase#RANDOM}: a fraction drawn per run and
   * implementation. The same seed gives the same plan for every interval.
   */
  static List<PlannedRun> plan(int runs, List<Impl> impls, Phase phase, long seed) {
    Random random = new Random(seed);
    List<Double> strata = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      strata.add((r + 0.5) / runs);
    }
    Collections.shuffle(strata, random);
    List<PlannedRun> out = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      for (Impl impl : impls) {
        out.add(new PlannedRun(r, impl, phase == Phase.LOCKED ? strata.get(r) : random.nextDouble()));
      }
    }
    return out;
  }

  /** One crash fail-over: fresh pair, settle, kill n1 at the planned phase, time until n2 answers. Empty on failure. */
  private Optional<Measurement> measure(PlannedRun planned, BigDecimal interval) throws Exception {
    Impl impl = planned.impl();
    AdvertisementSniffer sniffer = Objects.requireNonNull(sniffers.get(impl), "no sniffer for " + impl);
    Pair pair = startPair(impl, interval);
    try {
      long settled = awaitSettled(pair, interval);
      if (settled < 0) {
        System.out.printf("    did not settle (n1 answering, n2 without VIP) within %d s, or a node died; logs in %s%n",
            TimeUnit.NANOSECONDS.toSeconds(SETTLE_TIMEOUT_NANOS), options.work());
        return Optional.empty();
      }
      long intervalNanos = nanos(interval);
      LongSupplier anchor = () -> settled;
      if (options.phase() == Phase.LOCKED) {
        OptionalLong advert = sniffer.awaitAfter(System.nanoTime(), 3 * intervalNanos);
        if (advert.isEmpty()) {
          System.out.printf("    no advertisement from n1 (%s) arrived in n2's namespace within 3 intervals "
              + "(%s, %d sniffed so far); logs in %s%n", rig.address(1).getHostAddress(), sniffer,
              sniffer.count(), options.work());
          return Optional.empty();
        }
        // The phase counts from the advertisement's latest copy (ha4j sends ha4j_advert_copies, up
        // to a millisecond apart), which is what the backup's timer runs from: arrivals up to half
        // an interval after the first move the anchor, the next advertisement does not.
        long first = advert.getAsLong();
        long lastCopyBy = first + intervalNanos / 2;
        anchor = () -> sniffer.latestAtOrBefore(earlier(System.nanoTime(), lastCopyBy)).orElse(first);
      }
      Runnable kill = pair.crasher(1);
      prober.mark();
      long killedAt = awaitPhase(anchor, Math.round(planned.fraction() * intervalNanos));
      kill.run();
      // n2 cannot take over before its Master_Down_Interval has passed since the last advertisement
      // (of ha4j's back-to-back copies the latest: the backup's timer runs from it).
      OptionalLong last = sniffer.latestAtOrBefore(killedAt);
      long mdiNanos = Math.round(masterDownIntervalMs(interval, BACKUP_PRIORITY) * 1e6);
      prober.probeFastFrom(last.isPresent() ? last.getAsLong() + mdiNanos - FAST_PROBING_LEAD_NANOS : killedAt);
      long answeredAt;
      try {
        answeredAt = prober.awaitFirst(name(2), FAILOVER_TIMEOUT_NANOS);
      } finally {
        prober.probeFastFrom(Long.MAX_VALUE);
      }
      if (answeredAt < 0) {
        System.out.printf("    n2 never answered within %d s; logs in %s%n",
            TimeUnit.NANOSECONDS.toSeconds(FAILOVER_TIMEOUT_NANOS), options.work());
        return Optional.empty();
      }
      double phaseMs = last.isPresent() ? (killedAt - last.getAsLong()) / 1e6 : Double.NaN;
      return Optional.of(new Measurement(interval, planned.run(), impl, (answeredAt - killedAt) / 1e6, phaseMs));
    } finally {
      pair.destroy();
    }
  }

  /**
   * Returns the {@link System#nanoTime()} at which {@code phaseNanos} have passed since {@code
   * anchor} (asked again on every wake-up, since a later copy may move it), or at once if they
   * have: parked until {@link #SPIN_NANOS} before, then spinning, so the kill is late by
   * microseconds, not by a park's overshoot.
   */
  private static long awaitPhase(LongSupplier anchor, long phaseNanos) {
    while (true) {
      long now = System.nanoTime();
      long left = anchor.getAsLong() + phaseNanos - now;
      if (left <= 0) {
        return now;
      }
      if (left > SPIN_NANOS) {
        LockSupport.parkNanos(left - SPIN_NANOS);
      } else {
        Thread.onSpinWait();
      }
    }
  }

  private static long earlier(long a, long b) {
    return a - b < 0 ? a : b;
  }

  /** Until the client hears n1 steadily for 2 intervals + 200 ms and n2 holds no VIP; -1 on timeout. */
  private long awaitSettled(Pair pair, BigDecimal interval) {
    // At least --steady seconds of steady answers for both implementations: a production pair has
    // run for a while before its master dies, and a JVM killed within a second of its start
    // measures class loading, not the fail-over.
    long steady = Math.max(2 * nanos(interval) + TimeUnit.MILLISECONDS.toNanos(200),
        TimeUnit.SECONDS.toNanos(options.steadySeconds()));
    long deadline = System.nanoTime() + SETTLE_TIMEOUT_NANOS;
    while (System.nanoTime() - deadline < 0) {
      if (!pair.alive()) {
        return -1;
      }
      if (prober.steadyFor(name(1)) >= steady && !rig.hasAddress(2, VIP)) {
        return System.nanoTime();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    return -1;
  }

  // ---- pairs -----------------------------------------------------------------------------

  /** The two directors of one run, n1 and n2. */
  private final class Pair {
    final Impl impl;
    final List<Process> processes = new ArrayList<>();
    final List<Path> logs = new ArrayList<>();
    final List<Path> vrrpPidFiles = new ArrayList<>();

    Pair(Impl impl) {
      this.impl = impl;
    }

    boolean alive() {
      return processes.stream().allMatch(Process::isAlive);
    }

    /**
     * kill -9 of host {@code i}'s node (keepalived's VRRP child and parent at once), ready to run:
     * the pid file is read and the child found now, so the kill itself is two signals.
     */
    Runnable crasher(int i) throws IOException {
      Process p = processes.get(i - 1);
      if (impl == Impl.KEEPALIVED) {
        long child = Long.parseLong(Files.readString(vrrpPidFiles.get(i - 1)).strip());
        ProcessHandle h = p.descendants().filter(d -> d.pid() == child).findFirst()
            .orElseThrow(() -> new IllegalStateException("VRRP child " + child + " is not keepalived's"));
        return () -> {
          h.destroyForcibly();
          p.destroyForcibly();
        };
      }
      return p::destroyForcibly;
    }

    void destroy() throws InterruptedException {
      for (Process p : processes) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      for (Process p : processes) {
        p.waitFor(10, TimeUnit.SECONDS);
      }
      for (int i = 1; i <= 2; i++) {
        rig.exec(i, "ip", "addr", "del", VIP + "/24", "dev", rig.interfaceName(i)); // absent: fine
      }
      rig.exec(3, "ip", "neigh", "flush", "all").orThrow();
    }
  }

  private Pair startPair(Impl impl, BigDecimal interval) throws IOException {
    Pair pair = new Pair(impl);
    int id = ++pairCounter;
    for (int i = 1; i <= 2; i++) {
      int peer = 3 - i;
      String tag = String.format(Locale.ROOT, "%03d-%s-%s", id, impl.name().toLowerCase(Locale.ROOT), name(i));
      Path conf = options.work().resolve(tag + ".conf");
      Files.writeString(conf, render(impl, i, peer, interval));
      Path log = options.work().resolve(tag + ".log");
      pair.logs.add(log);
      if (impl == Impl.HA4J) {
        pair.processes.add(rig.start(i, NetnsRig.javaCommand(DirectorMain.class.getName(), "--no-ipvs",
            conf.toString()), log.toFile()));
      } else {
        Path pid = options.work().resolve(tag + ".pid");
        Path vrrp = options.work().resolve(tag + "-vrrp.pid");
        pair.vrrpPidFiles.add(vrrp);
        pair.processes.add(rig.start(i, List.of("keepalived", "-n", "-l", "-D", "-G", "-P", "-f", conf.toString(),
            "-p", pid.toString(), "-r", vrrp.toString(),
            "-c", options.work().resolve(tag + "-chk.pid").toString(),
            "-b", options.work().resolve(tag + "-bfd.pid").toString()), log.toFile()));
      }
    }
    return pair;
  }

  /** The template for host {@code i}: placeholders filled, the {@code @HA4J@} line kept for ha4j only. */
  String render(Impl impl, int i, int peer, BigDecimal interval) throws IOException {
    String ha4j = impl == Impl.HA4J
        ? "ha4j_key 1 \"failover bench secret, 16+ bytes\"\n  ha4j_advert_copies " + options.copies()
        : "";
    return Files.readString(options.template())
        .replace("@HA4J@", ha4j)
        .replace("@NAME@", name(i))
        .replace("@IFACE@", rig.interfaceName(i))
        .replace("@PRIORITY@", i == 1 ? "150" : "100")
        .replace("@ADVERT_INT@", interval.toPlainString())
        .replace("@SRC@", rig.address(i).getHostAddress())
        .replace("@PEER@", rig.address(peer).getHostAddress())
        .replace("@VIP@", VIP);
  }

  private static long nanos(BigDecimal seconds) {
    return seconds.movePointRight(9).longValueExact();
  }

  private static String keepalivedVersion() {
    try {
      Process p = new ProcessBuilder("keepalived", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      return out.lines().findFirst().orElse("keepalived (no version)").strip();
    } catch (IOException e) {
      return "keepalived not found";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "keepalived (interrupted)";
    }
  }

  // ---- the table ---------------------------------------------------------------------------

  private void printTable(List<Measurement> results) {
    System.out.println();
    System.out.println("crash fail-over, kill -9 of the master until the client is answered at the VIP by the new "
        + "master (ms); p99 is nearest-rank: with fewer than 100 runs it is the max; from last adv: kill -> answer + "
        + "phase, the time since n1's last advertisement arrived at n2");
    System.out.printf("%-11s %8s %5s %9s %9s %9s %9s %23s%n", "impl", "interval", "runs", "median", "p99", "min", "max",
        "from last adv (median)");
    Map<String, List<Measurement>> cells = new LinkedHashMap<>();
    for (Measurement m : results) {
      cells.computeIfAbsent(m.cell(), k -> new ArrayList<>()).add(m);
    }
    Map<String, double[]> stats = new LinkedHashMap<>();
    for (Map.Entry<String, List<Measurement>> e : cells.entrySet()) {
      double[] v = sorted(e.getValue().stream().mapToDouble(Measurement::failoverMs).toArray());
      double[] fromLast = sorted(e.getValue().stream().mapToDouble(Measurement::fromLastAdvertisementMs)
          .filter(d -> !Double.isNaN(d)).toArray());
      double fromLastMedian = fromLast.length == 0 ? Double.NaN : median(fromLast);
      double[] s = {median(v), nearestRank(v, 0.99), v[0], v[v.length - 1], fromLastMedian};
      stats.put(e.getKey(), s);
      String[] parts = e.getKey().split(" ");
      System.out.printf(Locale.ROOT, "%-11s %7ss %5d %9.1f %9.1f %9.1f %9.1f %23.1f%n", parts[0], parts[1], v.length,
          s[0], s[1], s[2], s[3], s[4]);
    }
    for (BigDecimal interval : options.intervals()) {
      String at = interval.toPlainString();
      double mdi = masterDownIntervalMs(interval, BACKUP_PRIORITY);
      System.out.println();
      StringBuilder overhead = new StringBuilder();
      for (Impl impl : options.impls()) {
        double[] s = stats.get(impl.name().toLowerCase(Locale.ROOT) + " " + at);
        if (s != null) {
          overhead.append(String.format(Locale.ROOT, "%s %.1f ms, ", impl.name().toLowerCase(Locale.ROOT),
              s[4] - mdi));
        }
      }
      System.out.printf(Locale.ROOT, "at %ss: expected Master_Down_Interval of n2 (priority %d) %.1f ms; overhead "
          + "median (from-last-adv median - MDI): %s%n", at, BACKUP_PRIORITY, mdi,
          overhead.length() == 0 ? "no runs" : overhead.substring(0, overhead.length() - 2));
      double[] ours = stats.get("ha4j " + at);
      double[] theirs = stats.get("keepalived " + at);
      if (ours != null && theirs != null) {
        System.out.printf(Locale.ROOT, "ratio ha4j/keepalived at %ss: median %.2f, p99 %.2f (target <= 1.0)%n",
            at, ours[0] / theirs[0], ours[1] / theirs[1]);
        System.out.printf(Locale.ROOT, "ratio ha4j/keepalived at %ss from the last advertisement: median %.3f%n",
            at, ours[4] / theirs[4]);
        double[][] paired = pairedDifferences(results, interval);
        if (paired[0].length > 0) {
          System.out.printf(Locale.ROOT, "paired at %ss (%d runs where both succeeded): median of ha4j_r - "
              + "keepalived_r %.2f ms kill -> answer, %.2f ms from the last advertisement%n", at, paired[0].length,
              median(sorted(paired[0])), paired[1].length == 0 ? Double.NaN : median(sorted(paired[1])));
        }
      }
    }
    double[] fast = stats.get("ha4j 0.02");
    if (fast != null) {
      System.out.printf(Locale.ROOT, "ha4j at 0.02s: p99 %.1f ms (target < 100 ms)%n", fast[1]);
    }
  }

  /**
   * ha4j_r - keepalived_r over the runs r of {@code interval} where both succeeded: [0] kill to
   * answer, [1] from the last advertisement (runs with a known phase on both sides only).
   */
  static double[][] pairedDifferences(List<Measurement> results, BigDecimal interval) {
    Map<Integer, Measurement> ours = new LinkedHashMap<>();
    Map<Integer, Measurement> theirs = new LinkedHashMap<>();
    for (Measurement m : results) {
      if (m.interval().compareTo(interval) == 0) {
        (m.impl() == Impl.HA4J ? ours : theirs).put(m.run(), m);
      }
    }
    List<Double> failover = new ArrayList<>();
    List<Double> fromLast = new ArrayList<>();
    for (Map.Entry<Integer, Measurement> e : ours.entrySet()) {
      Measurement k = theirs.get(e.getKey());
      if (k != null) {
        failover.add(e.getValue().failoverMs() - k.failoverMs());
        double d = e.getValue().fromLastAdvertisementMs() - k.fromLastAdvertisementMs();
        if (!Double.isNaN(d)) {
          fromLast.add(d);
        }
      }
    }
    return new double[][] {failover.stream().mapToDouble(Double::doubleValue).toArray(),
        fromLast.stream().mapToDouble(Double::doubleValue).toArray()};
  }

  /** RFC 5798 section 6.1: 3 x Master_Adver_Interval + Skew_Time, Skew_Time = (256 - priority) x interval / 256. */
  static double masterDownIntervalMs(BigDecimal interval, int priority) {
    double ms = interval.doubleValue() * 1000;
    return 3 * ms + (256 - priority) * ms / 256;
  }

  private static double[] sorted(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c;
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The smallest value with at least {@code q} of the values at or below it. */
  static double nearestRank(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }

  // ---- the loss run ---------------------------------------------------------------------------

  private void lossRun() throws Exception {
    BigDecimal interval = new BigDecimal("0.02");
    int seconds = options.lossSeconds();
    System.out.printf("%nloss run: ha4j pair at %ss, %d copies per advertisement, nftables dropping %d%% of the "
        + "heartbeat datagrams arriving at each director, %d s%n", interval.toPlainString(), options.copies(),
        options.lossPercent(), seconds);
    Pair pair = startPair(Impl.HA4J, interval);
    try {
      if (awaitSettled(pair, interval) < 0) {
        System.out.println("  the pair did not settle; logs in " + options.work());
        return;
      }
      long[] logStart = {Files.size(pair.logs.get(0)), Files.size(pair.logs.get(1))};
      for (int i = 1; i <= 2; i++) {
        nft(i, "add", "table", "inet", NFT_TABLE);
        // On input: a datagram dropped on output fails the sender's send() with EPERM, which no
        // lossy wire does; dropped on arrival it is simply lost, as on the wire.
        nft(i, "add", "chain", "inet", NFT_TABLE, "in", "{ type filter hook input priority 0; }");
        nft(i, "add", "rule", "inet", NFT_TABLE, "in", "udp", "dport", String.valueOf(HEARTBEAT_PORT),
            "numgen", "random", "mod", "100", "<", String.valueOf(options.lossPercent()), "counter", "drop");
        nft(i, "add", "rule", "inet", NFT_TABLE, "in", "udp", "dport", String.valueOf(HEARTBEAT_PORT), "counter");
      }
      prober.mark();
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      long nextReport = start + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() - end < 0 && pair.alive()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        if (System.nanoTime() - nextReport >= 0) {
          System.out.printf("  %d s: backup takeovers so far %d%n", TimeUnit.NANOSECONDS.toSeconds(
              System.nanoTime() - start), linesSince(pair.logs.get(1), logStart[1], "role BACKUP -> MASTER").size());
          nextReport += TimeUnit.SECONDS.toNanos(60);
        }
      }
      long ran = System.nanoTime() - start;
      long[] dropped = new long[2];
      long[] passed = new long[2];
      for (int i = 1; i <= 2; i++) {
        List<Long> counters = counters(nft(i, "list", "chain", "inet", NFT_TABLE, "in"));
        dropped[i - 1] = counters.get(0);
        passed[i - 1] = counters.get(1);
        nft(i, "delete", "table", "inet", NFT_TABLE);
      }
      List<String> takeoverLines = linesSince(pair.logs.get(1), logStart[1], "role BACKUP -> MASTER");
      long takeovers = takeoverLines.size();
      long masterLost = linesSince(pair.logs.get(0), logStart[0], "role MASTER -> ").size();
      List<String> stallLines = linesSince(pair.logs.get(0), logStart[0], "advertisement timer fired");
      long afterStall = takeoverLines.stream().filter(t -> near(t, stallLines, 100)).count();
      long backupStalls = linesSince(pair.logs.get(1), logStart[1], "master-down timer fired").size();
      boolean masterLived = pair.processes.get(0).isAlive();
      double adverts = ran / 1e9 / interval.doubleValue();
      double q = Math.pow(options.lossPercent() / 100.0, options.copies());
      System.out.printf(Locale.ROOT, "  ran %.0f s; n1 alive all along: %s; n1 left MASTER %d times; client "
          + "answered by n2 %d times%n", ran / 1e9, masterLived, masterLost, prober.answersSinceMark(name(2)));
      System.out.printf(Locale.ROOT, "  heartbeat datagrams dropped by nftables on arrival: at n2 (from the master) %d "
          + "of %d (%.2f%%), at n1 %d of %d (%.2f%%)%n", dropped[1], dropped[1] + passed[1],
          percent(dropped[1], passed[1]), dropped[0], dropped[0] + passed[0], percent(dropped[0], passed[0]));
      System.out.printf("  stalls (a timer late by more than the stall threshold: a starved CPU or a GC pause, not "
          + "loss): master n1 %d, backup takeovers within 100 ms of one %d; backup n2 %d%n",
          stallLines.size(), afterStall, backupStalls);
      System.out.printf(Locale.ROOT, "  expected false fail-overs for %.0f advertisements, 3 in a row lost: "
          + "%.4f with %d copies (%.2f with 1 copy)%n", adverts, adverts * Math.pow(q, 3), options.copies(),
          adverts * Math.pow(options.lossPercent() / 100.0, 3));
      System.out.printf("false fail-overs: %d%n", takeovers);
    } finally {
      for (int i = 1; i <= 2; i++) {
        rig.exec(i, "nft", "delete", "table", "inet", NFT_TABLE); // gone already: fine
      }
      pair.destroy();
    }
  }

  private String nft(int host, String... args) {
    List<String> cmd = new ArrayList<>(List.of("nft"));
    cmd.addAll(List.of(args));
    ExecResult r = rig.exec(host, cmd.toArray(String[]::new)).orThrow();
    return r.stdout();
  }

  private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

  /** The packet counters of a listed chain, in rule order. */
  static List<Long> counters(String listing) {
    List<Long> out = new ArrayList<>();
    Matcher m = PACKETS.matcher(listing);
    while (m.find()) {
      out.add(Long.parseLong(m.group(1)));
    }
    if (out.size() != 2) {
      throw new IllegalStateException("expected 2 counters in\n" + listing);
    }
    return out;
  }

  private static double percent(long dropped, long passed) {
    return dropped + passed == 0 ? 0 : 100.0 * dropped / (dropped + passed);
  }

  private static List<String> linesSince(Path log, long offset, String needle) throws IOException {
    byte[] all = Files.readAllBytes(log);
    String tail = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
        StandardCharsets.UTF_8);
    return tail.lines().filter(l -> l.contains(needle)).toList();
  }

  /** Whether {@code line}'s time of day (simplelogger's HH:mm:ss.SSS) is within {@code ms} of one of {@code others}. */
  static boolean near(String line, List<String> others, long ms) {
    long t = timeOfDay(line);
    return t >= 0 && others.stream().mapToLong(FailoverBenchmark::timeOfDay)
        .anyMatch(o -> o >= 0 && Math.abs(o - t) <= ms);
  }

  private static final Pattern TIME_OF_DAY = Pattern.compile("^(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d\\d\\d) ");

  /** Milliseconds since midnight of a log line, -1 if it has no time. */
  static long timeOfDay(String line) {
    Matcher m = TIME_OF_DAY.matcher(line);
    if (!m.find()) {
      return -1;
    }
    return ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3))) * 1000
        + Long.parseLong(m.group(4));
  }

  // ---- responder and prober ------------------------------------------------------------------

  private static DatagramSocket openIn(String namespace, InetSocketAddress bind) {
    return NetworkNamespace.call(NetworkNamespace.path(namespace), () -> {
      try {
        return new DatagramSocket(bind);
      } catch (SocketException e) {
        throw new UncheckedIOException("cannot bind " + bind + " in " + namespace, e);
      }
    });
  }

  /** Answers every probe with "NAME SEQ", on 0.0.0.0 so that it answers at the VIP too. */
  private static final class Responder {
    private final DatagramSocket socket;
    private final Thread thread;

    Responder(String namespace, String name) {
      socket = openIn(namespace, new InetSocketAddress(RESPONDER_PORT));
      thread = new Thread(() -> serve(name), "responder-" + name);
      thread.setDaemon(true);
      thread.start();
    }

    private void serve(String name) {
      byte[] buf = new byte[64];
      while (!socket.isClosed()) {
        try {
          DatagramPacket in = new DatagramPacket(buf, buf.length);
          socket.receive(in);
          String seq = new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII);
          byte[] reply = (name + " " + seq).getBytes(StandardCharsets.US_ASCII);
          socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
        } catch (IOException e) {
          if (socket.isClosed()) {
            return;
          }
        }
      }
    }

    void close() {
      socket.close();
    }
  }

  /**
   * Probes the VIP from the client namespace: the next probe goes out when the previous one is
   * answered (after a pause of 1 ms, 0.15 ms in the window of a take-over: {@link
   * #probeFastFrom}) or after {@link #PROBE_TIMEOUT_NANOS}; late answers to older probes are
   * ignored.
   */
  private static final class Prober {
    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private final Thread thread;
    private final Map<String, Long> firstSinceMark = new ConcurrentHashMap<>();
    private final Map<String, Long> countSinceMark = new ConcurrentHashMap<>();
    private volatile @Nullable String streakName;
    private volatile long streakStart;
    private volatile long lastAnswer;
    private volatile long fastFrom = Long.MAX_VALUE;

    Prober(String namespace, InetSocketAddress target) {
      this.target = target;
      socket = openIn(namespace, new InetSocketAddress(0));
      thread = new Thread(this::probe, "prober");
      thread.setDaemon(true);
      thread.start();
    }

    private void probe() {
      byte[] buf = new byte[64];
      long seq = 0;
      while (!socket.isClosed()) {
        try {
          seq++;
          byte[] out = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
          socket.send(new DatagramPacket(out, out.length, target));
          long deadline = System.nanoTime() + PROBE_TIMEOUT_NANOS;
          boolean answered = false;
          while (!answered) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              break;
            }
            socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
              socket.receive(in);
            } catch (SocketTimeoutException e) {
              break;
            }
            long at = System.nanoTime();
            String[] reply = new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII).split(" ");
            if (reply.length == 2 && reply[1].equals(Long.toString(seq))) {
              answered = true;
              record(reply[0], at);
            }
          }
          if (answered) {
            // With a 1 ms pause the answer time is a multiple of the probe period (1.1 ms): a
            // uniform error of up to a millisecond in every run, more than the difference
            // measured. In the window of a take-over the pause is short (without any, the probes
            // kept both CPUs of a small VM busy while the take-over ran).
            long untilFast = fastFrom - System.nanoTime();
            LockSupport.parkNanos(untilFast > 0 ? Math.min(PROBE_PAUSE_NANOS, untilFast) : FAST_PROBE_PAUSE_NANOS);
          }
        } catch (IOException e) {
          if (socket.isClosed()) {
            return;
          }
          // No route yet, ICMP unreachable from a port without a listener: try again.
          LockSupport.parkNanos(PROBE_TIMEOUT_NANOS);
        }
      }
    }

    private void record(String name, long at) {
      // A streak is a run of answers from one node without a gap of 100 ms.
      if (!name.equals(streakName) || at - lastAnswer > TimeUnit.MILLISECONDS.toNanos(100)) {
        streakName = name;
        streakStart = at;
      }
      lastAnswer = at;
      firstSinceMark.putIfAbsent(name, at);
      countSinceMark.merge(name, 1L, Long::sum);
    }

    /** How long {@code name} has answered without interruption; 0 if it does not answer now. */
    long steadyFor(String name) {
      long now = System.nanoTime();
      if (!name.equals(streakName) || now - lastAnswer > TimeUnit.MILLISECONDS.toNanos(50)) {
        return 0;
      }
      return now - streakStart;
    }

    /**
     * From {@code nanoTime} on, the next probe goes out {@link #FAST_PROBE_PAUSE_NANOS} after the
     * previous one is answered; {@code Long.MAX_VALUE} restores the 1 ms pause.
     */
    void probeFastFrom(long nanoTime) {
      fastFrom = nanoTime;
    }

    /** Forgets the first answers; what {@link #awaitFirst} and {@link #answersSinceMark} count from. */
    void mark() {
      firstSinceMark.clear();
      countSinceMark.clear();
    }

    long answersSinceMark(String name) {
      return countSinceMark.getOrDefault(name, 0L);
    }

    /** The time of {@code name}'s first answer since {@link #mark}, waiting up to {@code timeout}; -1 if none. */
    long awaitFirst(String name, long timeoutNanos) {
      long deadline = System.nanoTime() + timeoutNanos;
      while (System.nanoTime() - deadline < 0) {
        Long at = firstSinceMark.get(name);
        if (at != null) {
          return at;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      return -1;
    }

    void close() {
      socket.close();
    }
  }
}
