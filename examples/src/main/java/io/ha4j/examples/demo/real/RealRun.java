package io.ha4j.examples.demo.real;

import io.ha4j.director.DirectorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The real demo's run (needs root and ip_vs): three directors (priorities 150, 100, 50) and three
 * real servers in an {@link LvsTopology}, a {@link ClientLoop} asking the VIP every 50 ms, and
 * three faults: the master's machine dies ({@code kill -9} and its link down), the next master is
 * partitioned (nftables drops its heartbeats) and healed, and rs2's HTTP server stops and comes
 * back. Prints a timeline (the directors' role changes, VIP moves, IPVS operations and check
 * results from their logs, the faults, the client's failed requests) and a summary. Real time on a
 * real kernel: no two runs print the same.
 */
final class RealRun {

  static final Duration ADVERT = Duration.ofSeconds(1);
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(LvsTopology.LOG_TIME_FORMAT, Locale.ROOT);

  /** One timeline line. */
  record Event(LocalTime at, String who, String what) {}

  /** What a fault did to the client. */
  record Phase(String name, ClientLoop.Outage outage, String outcome) {}

  private final PrintStream out;
  private final List<Event> events = new ArrayList<>();
  private final List<Phase> phases = new ArrayList<>();
  private final LvsTopology t;
  private @Nullable ClientLoop loop;
  private LocalTime loopOrigin = LocalTime.MIN;

  private RealRun(PrintStream out, LvsTopology t) {
    this.out = out;
    this.t = t;
  }

  static int run(PrintStream out) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("ha4j-demo-real");
    out.println("ha4j demo --real: 3 directors (director JVMs, IPVS direct routing), 3 real servers (busybox"
        + " httpd), a client asking " + LvsTopology.VIP + ":" + LvsTopology.PORT + " every 50 ms");
    out.flush();
    try (LvsTopology t = LvsTopology.build("demo", 3, 3, ADVERT, dir)) {
      return new RealRun(out, t).go();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private int go() throws InterruptedException, IOException {
    LocalTime start = LocalTime.now();
    for (int r = 1; r <= 3; r++) {
      t.startRealServer(r);
    }
    int[] priority = {0, 150, 100, 50};
    for (int d = 1; d <= 3; d++) {
      t.startDirector(d, priority[d]);
    }
    note("demo", "started rs1..rs3 and directors d1 (150), d2 (100), d3 (50)");
    if (!await("d1 becomes master", Duration.ofSeconds(300), () -> t.hasVip(1) && !t.hasVip(2) && !t.hasVip(3))) {
      return finish(start, 1);
    }
    ClientLoop l = new ClientLoop(t.clientNamespace(),
        new InetSocketAddress(InetAddress.getByName(LvsTopology.VIP), LvsTopology.PORT),
        Duration.ofMillis(50), Duration.ofSeconds(1));
    loop = l;
    loopOrigin = LocalTime.now().minusNanos(l.nowMs() * 1_000_000L);
    note("client", "loop started");
    if (!await("the client gets answers from rs1, rs2 and rs3", Duration.ofSeconds(120),
        () -> l.answersFrom(0, "rs1") > 0 && l.answersFrom(0, "rs2") > 0 && l.answersFrom(0, "rs3") > 0
            && l.outageAfter(l.nowMs() - 2000).failed() == 0 && l.successesFrom(l.nowMs() - 2000) >= 5)) {
      return finish(start, 1);
    }

    // 1. The master's machine dies.
    long from = l.nowMs();
    Process d1 = t.director(1);
    // Link first: a machine that dies sends nothing, while a JVM killed with its link up has its
    // kernel reset the death witness's connection (a process death, taken over in milliseconds).
    note("demo", "FAULT master crash: d1's link down, then kill -9 of d1 (pid " + (d1 == null ? "?" : d1.pid()) + ")");
    t.setDirectorLink(1, false);
    t.killDirector(1);
    boolean ok = await("d2 takes over and the client gets answers through it", Duration.ofSeconds(60),
        () -> t.hasVip(2) && t.clientVipDirector() == 2 && l.outageAfter(from).resumedAtMs() >= 0);
    settle(3);
    phases.add(new Phase("master crash (d1 link down, kill -9)", l.outageAfter(from),
        ok ? "d2 master, client served through d2" : "d2 did not take over within 60 s"));

    // 2. Partition the new master: its heartbeats are dropped both ways, then let through again.
    long from2 = l.nowMs();
    Path rules = Files.createTempFile("ha4j-demo-partition", ".nft");
    int port = DirectorConfig.DEFAULT_PORT;
    Files.writeString(rules, """
        table inet ha4jdemo {
          chain in { type filter hook input priority 0; udp dport %d drop; }
          chain out { type filter hook output priority 0; udp dport %d drop; }
        }
        """.formatted(port, port), StandardCharsets.UTF_8);
    note("demo", "FAULT partition: nftables in d2 drops heartbeats (udp " + port + ") both ways");
    t.execInDirector(2, "nft", "-f", rules.toString()).orThrow();
    boolean split = await("d3 (cut off from d2) becomes master too", Duration.ofSeconds(30), () -> t.hasVip(3));
    note("demo", split ? "split brain: d2 and d3 both hold the VIP" : "d3 did not take the VIP within 30 s");
    settle(5);
    note("demo", "HEAL: d2's heartbeats flow again");
    t.execInDirector(2, "nft", "delete", "table", "inet", "ha4jdemo").orThrow();
    Files.deleteIfExists(rules);
    boolean healed = await("d3 steps down, one master (d2) serves the client", Duration.ofSeconds(60),
        () -> !t.hasVip(3) && t.hasVip(2) && t.clientVipDirector() == 2
            && l.outageAfter(l.nowMs() - 2000).failed() == 0 && l.successesFrom(l.nowMs() - 2000) >= 5);
    phases.add(new Phase("partition of d2 and heal", l.outageAfter(from2),
        (split ? "d3 took over during the partition" : "d3 never took over")
            + (healed ? "; after the heal d2 alone is master" : "; not settled 60 s after the heal")));

    // 3. A real server fails and comes back: the master's checks take it out of IPVS and back in.
    long from3 = l.nowMs();
    String rs2 = t.realServerAddress(2).getHostAddress() + ":" + LvsTopology.PORT;
    int deletes = tableOps(2, "deleted real server " + rs2);
    int adds = tableOps(2, "added real server " + rs2);
    note("demo", "FAULT rs2's httpd killed");
    t.stopRealServer(2);
    boolean out2 = await("the master d2 deletes rs2 from its IPVS table", Duration.ofSeconds(30),
        () -> tableOps(2, "deleted real server " + rs2) > deletes);
    settle(3);
    note("demo", "REPAIR rs2's httpd restarted");
    t.startRealServer(2);
    long back = l.nowMs();
    boolean in2 = await("d2 adds rs2 back and rs2 answers again", Duration.ofSeconds(60),
        () -> tableOps(2, "added real server " + rs2) > adds && l.answersFrom(back, "rs2") > 0);
    settle(2);
    phases.add(new Phase("rs2 httpd killed and restarted", l.outageAfter(from3),
        (out2 ? "d2 took rs2 out of IPVS" : "d2 still had rs2 in IPVS 30 s later")
            + (in2 ? ", and back in after the restart" : ", not back 60 s after the restart")));
    return finish(start, ok && healed && in2 ? 0 : 1);
  }

  private int finish(LocalTime start, int status) {
    ClientLoop l = loop;
    if (l != null) {
      l.close();
    }
    printTimeline(start);
    printSummary();
    out.flush();
    return status;
  }

  private void printTimeline(LocalTime start) {
    List<Event> all = new ArrayList<>(events);
    for (int d = 1; d <= t.directors(); d++) {
      for (String line : t.directorEvents(d)) {
        Event e = directorEvent("d" + d, line);
        if (e != null && !e.at().isBefore(start)) {
          all.add(e);
        }
      }
    }
    ClientLoop l = loop;
    if (l != null) {
      all.addAll(failureEvents(l.attempts()));
    }
    all.sort(Comparator.comparing(Event::at));
    out.println();
    out.println("timeline (wall clock; directors' lines from their logs)");
    for (Event e : all) {
      out.printf(Locale.ROOT, "  %s  %-6s  %s%n", TIME.format(e.at()), e.who(), e.what());
    }
  }

  /**
   * The client's failed requests as timeline events: failures of one kind less than a second apart
   * form one event, with the answers that came in between (round robin still reaches the live
   * servers).
   */
  private List<Event> failureEvents(List<ClientLoop.Attempt> attempts) {
    List<Event> events = new ArrayList<>();
    int i = 0;
    while (i < attempts.size()) {
      if (attempts.get(i).ok()) {
        i++;
        continue;
      }
      int first = i;
      int last = i;
      TreeMap<String, Integer> errors = new TreeMap<>();
      int answered = 0;
      for (int j = i; j < attempts.size(); j++) {
        ClientLoop.Attempt a = attempts.get(j);
        if (a.startMs() - attempts.get(last).endMs() >= 1000 || (!a.ok() && !kind(a).equals(kind(attempts.get(i))))) {
          break;
        }
        if (!a.ok()) {
          errors.merge(kind(a), 1, Integer::sum);
          last = j;
        }
      }
      for (int j = first; j <= last; j++) {
        answered += attempts.get(j).ok() ? 1 : 0;
      }
      int failed = last - first + 1 - answered;
      events.add(new Event(at(attempts.get(first).startMs()), "client", String.format(Locale.ROOT,
          "%d request%s failed until %s %s%s", failed, failed == 1 ? "" : "s", TIME.format(at(attempts.get(last).endMs())),
          errors, answered > 0 ? ", " + answered + " answered in between" : "")));
      i = last + 1;
    }
    return events;
  }

  /** A failure's kind: the exception's simple name. */
  private static String kind(ClientLoop.Attempt a) {
    int colon = a.answer().indexOf(':');
    return colon < 0 ? a.answer() : a.answer().substring(0, colon);
  }

  private LocalTime at(long loopMs) {
    return loopOrigin.plusNanos(loopMs * 1_000_000L);
  }

  /** How many IPVS operations director {@code d} logged so far that contain {@code text}. */
  private int tableOps(int d, String text) {
    return (int) t.directorEvents(d).stream().filter(e -> e.contains("table: " + text)).count();
  }

  private void printSummary() {
    out.println();
    out.println("summary");
    for (Phase p : phases) {
      out.printf(Locale.ROOT, "  %-38s client saw no answer for %5d ms at most, %3d of %4d requests failed; %s%n",
          p.name(), p.outage().gapMs(), p.outage().failed(), p.outage().total(), p.outcome());
    }
    ClientLoop l = loop;
    if (l != null) {
      List<ClientLoop.Attempt> a = l.attempts();
      long ok = a.stream().filter(ClientLoop.Attempt::ok).count();
      out.printf(Locale.ROOT, "  client: %d requests, %d failed, availability %.2f %%%n", a.size(), a.size() - ok,
          a.isEmpty() ? 0.0 : 100.0 * ok / a.size());
    }
  }

  /** A director's log line as a timeline event, or null when it is not one worth showing. */
  static @Nullable Event directorEvent(String who, String line) {
    int sep = line.indexOf(" - ");
    if (sep < 0 || line.length() < 12) {
      return null;
    }
    String what = line.substring(sep + 3);
    if (!(what.startsWith("role ") || what.startsWith("VIP ") || what.startsWith("table: ")
        || (what.startsWith("real server ") && !what.contains("UNKNOWN ->")))) {
      return null;
    }
    try {
      return new Event(LocalTime.parse(line.substring(0, 12), TIME), who, what);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private void note(String who, String what) {
    events.add(new Event(LocalTime.now(), who, what));
    out.printf(Locale.ROOT, "  %s  %-6s  %s%n", TIME.format(LocalTime.now()), who, what);
    out.flush();
  }

  private boolean await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() - end < 0) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(200);
    }
    note("demo", "NOT within " + limit.toSeconds() + " s: " + what);
    return false;
  }

  private static void settle(int seconds) throws InterruptedException {
    Thread.sleep(seconds * 1000L);
  }
}
