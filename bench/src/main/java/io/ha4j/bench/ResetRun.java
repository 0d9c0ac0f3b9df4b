package io.ha4j.bench;

import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.testkit.netns.NetnsRig;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;

/**
 * The reset run ({@code --reset-run S}): an ha4j pair at 0.1 s while nftables in the master's
 * namespace answers the witness connections' segments with TCP resets for {@value #WINDOW_MILLIS}
 * ms every {@value #PERIOD_SECONDS} s, both ways (to the backup on input, to the master's own socket
 * on output), as a middlebox or an attacker without the key would. The kernels must drop every
 * such reset (TCP-MD5): no witness connection ends, no probe, no false fail-over.
 */
final class ResetRun {

  static final String NFT_TABLE = "failbench-rst";
  static final int PERIOD_SECONDS = 5;
  /** Shorter than the keep-alive's give-up (3 probes 1 s apart): the window itself must not time a connection out. */
  static final int WINDOW_MILLIS = 1000;

  private final FailoverOptions options;
  private final FailoverRig rig;
  private final NetnsRig netns;

  ResetRun(FailoverOptions options, FailoverRig rig) {
    this.options = options;
    this.rig = rig;
    this.netns = rig.netns();
  }

  void run() throws Exception {
    BigDecimal interval = new BigDecimal("0.1");
    int seconds = options.resetSeconds();
    String port = String.valueOf(HeartbeatConfig.DEFAULT_WITNESS_PORT);
    System.out.printf("%nreset run: ha4j pair at %ss, nftables in n1 (the master) rejecting the witness port %s with "
        + "TCP resets for %d ms every %d s, %d s%n", interval.toPlainString(), port, WINDOW_MILLIS, PERIOD_SECONDS,
        seconds);
    DirectorPair pair = rig.pairs().start(Implementation.HA4J, interval);
    try {
      if (rig.awaitSettled(pair, interval, options.steadySeconds()) < 0) {
        System.out.println("  the pair did not settle; logs in " + options.work());
        return;
      }
      long[] logStart = {Files.size(pair.logs.get(0)), Files.size(pair.logs.get(1))};
      nft("add", "table", "inet", NFT_TABLE);
      nft("add", "chain", "inet", NFT_TABLE, "in", "{ type filter hook input priority 0; }");
      nft("add", "chain", "inet", NFT_TABLE, "out", "{ type filter hook output priority 0; }");
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      int windows = 0;
      long injected = 0;
      while (System.nanoTime() - end < 0 && pair.alive()) {
        nft("add", "rule", "inet", NFT_TABLE, "in", "tcp", "dport", port, "counter", "reject", "with", "tcp", "reset");
        nft("add", "rule", "inet", NFT_TABLE, "out", "tcp", "sport", port, "counter", "reject", "with", "tcp", "reset");
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS));
        injected += packets(nft("list", "table", "inet", NFT_TABLE));
        nft("flush", "chain", "inet", NFT_TABLE, "in");
        nft("flush", "chain", "inet", NFT_TABLE, "out");
        windows++;
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(PERIOD_SECONDS) - TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS));
      }
      long ran = System.nanoTime() - start;
      List<String> takeovers = LossRun.linesSince(pair.logs.get(1), logStart[1], "role BACKUP -> MASTER");
      List<String> ended = LossRun.linesSince(pair.logs.get(1), logStart[1], "witness connection ended");
      long masterLost = LossRun.linesSince(pair.logs.get(0), logStart[0], "role MASTER -> ").size();
      System.out.printf(Locale.ROOT, "  ran %.0f s, %d reset windows, %d segments answered with a reset; n1 alive all "
          + "along: %s; n1 left MASTER %d times; n2's witness connection ended without a goodbye %d times%n",
          ran / 1e9, windows, injected, pair.processes.get(0).isAlive(), masterLost, ended.size());
      System.out.printf("false fail-overs: %d%n", takeovers.size());
      LossRun.keepLogsOn(takeovers, pair.logs);
    } finally {
      netns.exec(1, "nft", "delete", "table", "inet", NFT_TABLE); // gone already: fine
      pair.destroy();
    }
  }

  private String nft(String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "nft";
    System.arraycopy(args, 0, cmd, 1, args.length);
    return netns.exec(1, cmd).orThrow().stdout();
  }

  /** The sum of the packet counters in a listing. */
  private static long packets(String listing) {
    long sum = 0;
    Matcher m = LossRun.PACKETS.matcher(listing);
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }
}
