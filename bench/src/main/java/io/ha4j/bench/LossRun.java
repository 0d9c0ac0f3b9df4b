package io.ha4j.bench;

import io.ha4j.testkit.netns.ExecResult;
import io.ha4j.testkit.netns.NetnsRig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loss run: an ha4j pair at 20 ms while nftables drops a share of the heartbeat datagrams
 * arriving at each director, counting the backup's take-overs from the live master (false
 * fail-overs) in the director logs, with the master's stalls (late advertisement timers) beside
 * them.
 */
final class LossRun {

  static final String NFT_TABLE = "failbench";

  private final FailoverOptions options;
  private final FailoverRig rig;
  private final NetnsRig netns;

  LossRun(FailoverOptions options, FailoverRig rig) {
    this.options = options;
    this.rig = rig;
    this.netns = rig.netns();
  }

  void run() throws Exception {
    BigDecimal interval = new BigDecimal("0.02");
    int seconds = options.lossSeconds();
    System.out.printf("%nloss run: ha4j pair at %ss, %d copies per advertisement, nftables dropping %d%% of the "
        + "heartbeat datagrams arriving at each director, %d s%n", interval.toPlainString(), options.copies(),
        options.lossPercent(), seconds);
    VipProber prober = rig.prober();
    DirectorPair pair = rig.pairs().start(Implementation.HA4J, interval);
    try {
      if (rig.awaitSettled(pair, interval, options.steadySeconds()) < 0) {
        System.out.println("  the pair did not settle; logs in " + options.work());
        return;
      }
      long[] logStart = {Files.size(pair.logs.get(0)), Files.size(pair.logs.get(1))};
      for (int i = 1; i <= 2; i++) {
        nft(i, "add", "table", "inet", NFT_TABLE);
        // On input: a datagram dropped on output fails the sender's send() with EPERM, which no
        // lossy wire does; dropped on arrival it is simply lost, as on the wire.
        nft(i, "add", "chain", "inet", NFT_TABLE, "in", "{ type filter hook input priority 0; }");
        nft(i, "add", "rule", "inet", NFT_TABLE, "in", "udp", "dport", String.valueOf(FailoverRig.HEARTBEAT_PORT),
            "numgen", "random", "mod", "100", "<", String.valueOf(options.lossPercent()), "counter", "drop");
        nft(i, "add", "rule", "inet", NFT_TABLE, "in", "udp", "dport", String.valueOf(FailoverRig.HEARTBEAT_PORT),
            "counter");
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
          + "answered by n2 %d times%n", ran / 1e9, masterLived, masterLost, prober.answersSinceMark(FailoverRig.name(2)));
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
      keepLogsOn(takeoverLines, pair.logs);
    } finally {
      for (int i = 1; i <= 2; i++) {
        netns.exec(i, "nft", "delete", "table", "inet", NFT_TABLE); // gone already: fine
      }
      pair.destroy();
    }
  }

  private String nft(int host, String... args) {
    List<String> cmd = new ArrayList<>(List.of("nft"));
    cmd.addAll(List.of(args));
    ExecResult r = netns.exec(host, cmd.toArray(String[]::new)).orThrow();
    return r.stdout();
  }

  static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

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

  /**
   * After a false fail-over: prints its log lines and leaves a mark that tells the script to keep
   * the directors' logs (it removes them after a clean run), so that the cause can be read.
   */
  static void keepLogsOn(List<String> takeovers, List<Path> logs) throws IOException {
    if (takeovers.isEmpty()) {
      return;
    }
    takeovers.forEach(t -> System.out.println("  false fail-over: " + t));
    Path dir = Objects.requireNonNull(logs.get(0).toAbsolutePath().getParent(), "a log file has a folder");
    Files.writeString(dir.resolve(KEEP_LOGS), String.join("\n", takeovers) + "\n", StandardCharsets.UTF_8);
    System.out.println("  directors' logs kept: " + logs);
  }

  /** The file whose presence keeps the work folder (failover-vs-keepalived.sh). */
  static final String KEEP_LOGS = "keep-logs";

  static List<String> linesSince(Path log, long offset, String needle) throws IOException {
    byte[] all = Files.readAllBytes(log);
    String tail = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
        StandardCharsets.UTF_8);
    return tail.lines().filter(l -> l.contains(needle)).toList();
  }

  /** Whether {@code line}'s time of day (simplelogger's HH:mm:ss.SSS) is within {@code ms} of one of {@code others}. */
  static boolean near(String line, List<String> others, long ms) {
    long t = timeOfDay(line);
    return t >= 0 && others.stream().mapToLong(LossRun::timeOfDay)
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
}
