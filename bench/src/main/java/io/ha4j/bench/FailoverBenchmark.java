package io.ha4j.bench;

import io.ha4j.bench.linux.AdvertisementSniffer;
import io.ha4j.testkit.netns.NetnsRig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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
 * FailoverRig#HEARTBEAT_PORT} for ha4j's heartbeat), on the same clock as the kill; of ha4j's copies of one
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
 *
 * <p>The pieces: {@link FailoverOptions} (the command line), {@link FailoverRig} (the topology,
 * responders, prober and sniffers), {@link PairLauncher} and {@link DirectorPair} (the directors
 * of a run), {@link PlannedRun} (the phase plan), {@link FailoverRun} with {@link PhaseLockedKill}
 * (one measured fail-over), {@link FailoverReport} (the statistics) and {@link LossRun}.
 */
public final class FailoverBenchmark {

  private final FailoverOptions options;
  private final FailoverRig rig;

  private FailoverBenchmark(FailoverOptions options, FailoverRig rig) {
    this.options = options;
    this.rig = rig;
  }

  public static void main(String[] args) throws Exception {
    FailoverOptions o;
    try {
      o = FailoverOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("failover benchmark: " + e.getMessage() + "\n" + FailoverOptions.usage());
      System.exit(64);
      return;
    }
    try (NetnsRig netns = NetnsRig.bridge("fob", 3)) {
      Path names = o.namesFile();
      if (names != null) {
        Files.writeString(names, String.join("\n", netns.namespace(1), netns.namespace(2), netns.namespace(3),
            netns.bridgeNamespace()) + "\n");
      }
      FailoverRig rig = new FailoverRig(netns, o);
      try {
        rig.openSniffers(o.impls());
        new FailoverBenchmark(o, rig).run();
      } finally {
        rig.close();
      }
    }
  }

  private void run() throws Exception {
    NetnsRig netns = rig.netns();
    System.out.printf("rig: directors n1 (priority 150), n2 (100) in %s, %s; client n3 in %s; VIP %s%n",
        netns.namespace(1), netns.namespace(2), netns.namespace(3), FailoverRig.VIP);
    System.out.printf("%s; %s; ha4j sends each advertisement %d time(s) (ha4j_advert_copies)%n",
        keepalivedVersion(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        options.copies());
    System.out.printf("phase %s, seed %d%n", options.phase().name().toLowerCase(Locale.ROOT), options.seed());
    for (Death death : options.runs() > 0 ? options.deaths() : List.<Death>of()) {
      List<Measurement> results = new ArrayList<>();
      FailoverRun runner = new FailoverRun(options, rig);
      System.out.printf("death: %s%n", death.word());
      for (BigDecimal interval : options.intervals()) {
        double intervalMs = interval.doubleValue() * 1000;
        for (PlannedRun planned : PlannedRun.plan(options.runs(), options.impls(), options.phase(), options.seed())) {
          String cell = planned.impl().name().toLowerCase(Locale.ROOT) + " " + interval.toPlainString();
          Optional<Measurement> m = runner.measure(planned, interval, death);
          String shown = m.map(v -> String.format(Locale.ROOT, "%.1f ms, phase %.2f ms%s, from last adv %.1f ms",
              v.failoverMs(), v.phaseMs(), options.phase() == KillPhase.LOCKED
                  ? String.format(Locale.ROOT, " (planned %.2f)", planned.fraction() * intervalMs) : "",
              v.fromLastAdvertisementMs())).orElse("FAILED");
          System.out.printf("  %-16s run %2d/%d: %s%n", cell, planned.run() + 1, options.runs(), shown);
          m.ifPresent(results::add);
        }
      }
      new FailoverReport(options).print(results, death);
    }
    if (options.lossSeconds() > 0) {
      new LossRun(options, rig).run();
    }
    if (options.resetSeconds() > 0) {
      new ResetRun(options, rig).run();
    }
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
}
