package io.ha4j.it.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.director.DirectorConfig;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's acceptance for item 5: 1,000,000 random datagrams at full speed from a third
 * namespace (n3) at the master director's heartbeat port. The sender stands for another host: it
 * runs on a CPU of its own (the last), the directors and the capture on the others. Both directors run through their
 * launcher with its own JVM options (the bounded heap). Wanted: no role change on either director
 * (zero false fail-overs), the master's advertisements arriving at the backup within 10% of the
 * interval throughout (every gap, timed by tcpdump in n2's namespace; printed next to the same
 * figures before the flood), and the master's resident memory (VmRSS) under 256 MiB throughout. It prints the figures, with the drops the master
 * counted (logged when it stops).
 */
@NetnsTest
class DirectorFloodNetnsIT {

  static final long DATAGRAMS = 1_000_000;
  static final long MAX_SEND_SECONDS = 60;
  static final long RSS_LIMIT_KIB = 256 * 1024;
  static final Duration ADVERT = DirectorHosts.ADVERT;
  static final Duration QUIET = Duration.ofSeconds(3);
  private static final Pattern STAMP = Pattern.compile("^(\\d+)\\.(\\d{6}) IP ");

  @Test
  void aMillionRandomDatagramsAtTheMasterChangeNothing(@TempDir Path dir) throws Exception {
    try (DirectorHosts d = DirectorHosts.bridge("flood", 3, dir)) {
      NetnsRig rig = d.rig;
      Process master = d.startWithLaunchersOptions(1, d.config(1, 2, "director-1", 150, ""));
      Process backup = d.startWithLaunchersOptions(2, d.config(2, 1, "director-2", 100, ""));
      d.await("n1 owns the VIP", Duration.ofSeconds(60), () -> d.hasVip(1) && !d.hasVip(2));
      Thread.sleep(1000);

      Path capture = d.file("n2-adverts.txt");
      Process tcpdump = rig.start(2, List.of("tcpdump", "-i", rig.interfaceName(2), "-n", "-tt", "-l",
          "--immediate-mode", "-Q", "in", "udp and src host " + rig.address(1).getHostAddress()
              + " and dst port " + DirectorConfig.DEFAULT_PORT), capture.toFile());
      d.await("tcpdump captures", Duration.ofSeconds(10), () -> d.contains(capture, "listening on"));
      // The flood comes from another host: its sender gets a CPU of its own, where the kernel also
      // does the sending's work (softirq), and the directors and the capture the others.
      int cpus = Runtime.getRuntime().availableProcessors();
      String senderCpu = Integer.toString(cpus - 1);
      String hostCpus = cpus > 1 ? "0-" + (cpus - 2) : "0";
      for (Process p : List.of(master, backup, tcpdump)) {
        pin(p.pid(), hostCpus);
      }
      double quietStart = epochSeconds();
      Thread.sleep(QUIET.toMillis()); // the same figures without a flood, for comparison

      long baseline = rssKib(master.pid());
      AtomicLong peak = new AtomicLong(baseline);
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          peak.accumulateAndGet(rssKib(master.pid()), Math::max);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "rss-sampler");
      sampler.setDaemon(true);
      int log1Before = d.read(d.log(1)).length();
      int log2Before = d.read(d.log(2)).length();

      double floodStart = epochSeconds();
      Path senderLog = d.file("n3-flood.log");
      sampler.start();
      // At the lowest CPU priority: a flood comes from another host, and here the sender shares
      // the directors' CPUs; it still sends as fast as a CPU left free lets it.
      List<String> flood = new ArrayList<>(List.of("taskset", "-c", senderCpu, "nice", "-n", "19"));
      flood.addAll(NetnsRig.javaCommand(FloodSender.class.getName(), rig.address(1).getHostAddress(),
          Integer.toString(DirectorConfig.DEFAULT_PORT), Long.toString(DATAGRAMS), Long.toString(MAX_SEND_SECONDS)));
      Process sender = rig.start(3, flood, senderLog.toFile());
      assertTrue(sender.waitFor(MAX_SEND_SECONDS + 60, TimeUnit.SECONDS), "the sender did not end");
      double floodEnd = epochSeconds();
      Thread.sleep(1000);
      sampler.interrupt();
      sampler.join();
      tcpdump.destroy();
      tcpdump.waitFor(10, TimeUnit.SECONDS);

      String sent = d.read(senderLog).lines().filter(l -> l.startsWith("[flood]")).findFirst().orElse("(no report)");
      Gaps quiet = Gaps.of(arrivals(capture, quietStart, floodStart));
      Gaps flooded = Gaps.of(arrivals(capture, floodStart, floodEnd + 0.5));
      String roles1 = roleChanges(d.read(d.log(1)).substring(log1Before));
      String roles2 = roleChanges(d.read(d.log(2)).substring(log2Before));
      boolean stillMaster = d.hasVip(1) && !d.hasVip(2);

      master.destroy(); // SIGTERM: the master logs its counters as it stops
      master.waitFor(15, TimeUnit.SECONDS);
      String drops = d.read(d.log(1)).lines().filter(l -> l.contains("stopping; HeartbeatStats")).findFirst()
          .map(l -> l.substring(l.indexOf("HeartbeatStats"))).orElse("(not logged)");

      System.out.printf("[director netns] flood: %s; adverts at n2 during it: %s (interval %d ms, bound %.0f ms;"
              + " %s before it, no flood); master VmRSS %d MiB before, peak %d MiB (bound 256 MiB);"
              + " role changes n1 [%s] n2 [%s]; master's counters: %s; load %s%n",
          sent, flooded, ADVERT.toMillis(), ADVERT.toMillis() * 1.1, quiet, baseline / 1024, peak.get() / 1024,
          roles1, roles2, drops, Files.readString(Path.of("/proc/loadavg")).trim());
      assertEquals("", roles1, "the master changed role under the flood\n" + d.logs());
      assertEquals("", roles2, "the backup changed role under the flood (a false fail-over)\n" + d.logs());
      assertTrue(stillMaster, "n1 holds the VIP alone after the flood");
      assertTrue(sent.contains("sent " + DATAGRAMS + " "), "the sender sent them all: " + sent);
      assertTrue(flooded.count() >= (floodEnd - floodStart) / (ADVERT.toMillis() / 1000.0) * 0.8,
          "adverts captured: " + flooded);
      // Every advertisement within 10% of the interval. The kernel drops the flood at the socket
      // (receiveOnlyFrom). With the sender sharing the directors' two CPUs the longest gap was
      // 102-108 ms in 9 of 10 runs and 123 ms in one; with the sender on a CPU of its own, as a
      // third host has, 102.4-105.4 ms in 8 of 8 runs.
      double tenPercent = ADVERT.toMillis() * 0.1 / 1000;
      assertTrue(Math.abs(flooded.meanSeconds() - ADVERT.toMillis() / 1000.0) <= tenPercent,
          "mean advert period under the flood: " + flooded);
      assertTrue(flooded.maxSeconds() <= ADVERT.toMillis() / 1000.0 + tenPercent, "advert gaps under the flood: "
          + flooded + "; without: " + quiet + "\n" + d.logs());
      assertTrue(peak.get() < RSS_LIMIT_KIB, "master VmRSS peak " + peak.get() / 1024 + " MiB");
    }
  }

  /** The gaps between advertisement arrivals. */
  record Gaps(int count, double maxSeconds, double meanSeconds) {
    static Gaps of(List<Double> arrivals) {
      double max = 0;
      for (int i = 1; i < arrivals.size(); i++) {
        max = Math.max(max, arrivals.get(i) - arrivals.get(i - 1));
      }
      double mean = arrivals.size() > 1
          ? (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / (arrivals.size() - 1) : Double.NaN;
      return new Gaps(arrivals.size(), max, mean);
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%d, gap max %.1f ms, mean %.1f ms", count, maxSeconds * 1000,
          meanSeconds * 1000);
    }
  }

  /** The capture's arrival times (seconds since the epoch) between {@code from} and {@code to}. */
  private static List<Double> arrivals(Path capture, double from, double to) throws IOException {
    List<Double> times = new ArrayList<>();
    for (String line : Files.readAllLines(capture, StandardCharsets.UTF_8)) {
      Matcher m = STAMP.matcher(line);
      if (m.find()) {
        double t = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) / 1e6;
        if (t >= from && t <= to) {
          times.add(t);
        }
      }
    }
    return times;
  }

  private static String roleChanges(String log) {
    return String.join("; ", log.lines().filter(l -> l.contains("role ") && l.contains(" -> ")).toList());
  }

  private static double epochSeconds() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() + now.getNano() / 1e9;
  }

  /** Binds every thread of {@code pid} (and those it starts) to {@code cpus}. */
  private static void pin(long pid, String cpus) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "taskset " + cpus + " " + pid + ": " + out);
  }

  /** VmRSS of {@code pid} in KiB; 0 once it is gone. */
  private static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
