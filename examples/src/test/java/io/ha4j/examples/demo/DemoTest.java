package io.ha4j.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.testkit.cluster.Bounds;
import io.ha4j.testkit.cluster.History;
import io.ha4j.testkit.cluster.Invariant;
import io.ha4j.testkit.cluster.RealServerPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

// Expectations from issue 8 (the demo): fault order, who owns the VIP after each fault, what
// every director does about a failed real server, no invariant violation, and the same output for
// the same seed.
class DemoTest {

  private static final long SEED = 1;

  @Test
  void faultLinesAppearInTheOrderTheyWereInjected() {
    String out = run("--seed", "1");
    int crash = out.indexOf(">>> crash n1");
    int restart = out.indexOf(">>> restart n1");
    int partition = out.indexOf(">>> partition n1|n2,n3");
    int heal = out.indexOf(">>> heal");
    int drop = out.indexOf(">>> priority-drop n1");
    int restore = out.indexOf(">>> priority-restore n1");
    int rsDown = out.indexOf(">>> rs-down rs2");
    int rsUp = out.indexOf(">>> rs-up rs2");
    assertTrue(crash > 0, out);
    assertTrue(crash < restart && restart < partition && partition < heal && heal < drop && drop < restore
        && restore < rsDown && rsDown < rsUp, out);
  }

  @Test
  void afterTheCrashAnotherDirectorOwnsTheVipAndAfterTheRestartTheOriginalMasterTakesItBack() {
    List<DemoReport.FaultEffect> effects = DemoReport.effects(Demo.simulate(SEED));
    assertEquals(List.of("crash n1", "restart n1", "partition n1|n2,n3", "heal", "priority-drop n1",
        "priority-restore n1"),
        effects.stream().map(DemoReport.FaultEffect::fault).toList());

    DemoReport.FaultEffect crash = effects.get(0);
    assertEquals(Set.of("n1"), crash.ownersBefore());
    assertEquals(1, crash.ownersAfter().size(), crash.toString());
    assertFalse(crash.ownersAfter().contains("n1"), crash.toString());
    assertTrue(crash.takeoverNanos() > 0, crash.toString());

    DemoReport.FaultEffect restart = effects.get(1);
    assertEquals(Set.of("n1"), restart.ownersAfter(), "preempt on: n1 (priority 150) takes the VIP back");

    DemoReport.FaultEffect partition = effects.get(2);
    assertEquals(Set.of("n1", "n2"), partition.ownersAfter(), "each side of the partition elects a master");
    assertTrue(partition.splitBrainNanos() > 0, partition.toString());

    DemoReport.FaultEffect heal = effects.get(3);
    assertEquals(Set.of("n1"), heal.ownersAfter(), "the split brain heals to the higher priority");

    // RFC 5798 section 6.4.2: with preempt on, a backup discards the lower-priority adverts of
    // n1 (150 - 60 = 90) and takes over when its master-down timer runs out.
    assertEquals(Set.of("n2"), effects.get(4).ownersAfter());
    assertEquals(Set.of("n1"), effects.get(5).ownersAfter());
  }

  @Test
  void everyDirectorQuiescesTheFailedRealServerAfterItsOwnChecksFailAndRestoresItAfterRise() {
    String out = run("--seed", "1");
    String during = out.substring(out.indexOf(">>> rs-down rs2"), out.indexOf(">>> rs-up rs2"));
    String after = out.substring(out.indexOf(">>> rs-up rs2"), out.indexOf("FAULTS AND FAIL-OVERS"));
    for (String n : List.of("n1", "n2", "n3")) {
      assertTrue(during.matches("(?s).*  " + n + "    health  rs2 UP -> DOWN  \\(timed out after PT0.3S\\).*"), during);
      assertTrue(during.matches("(?s).*  " + n + "    ipvs    edited real server 198.51.100.102:80 weight 0 .*"), during);
      assertTrue(after.matches("(?s).*  " + n + "    health  rs2 DOWN -> UP .*"), after);
      assertTrue(after.matches("(?s).*  " + n + "    ipvs    edited real server 198.51.100.102:80 weight 1 .*"), after);
    }
    assertTrue(out.contains("REAL-SERVER OUTAGES"), out);
    assertTrue(out.contains("the VIP owner sent new connections to the dead rs2 for "), out);

    List<DemoReport.RealServerOutage> outages = DemoReport.outages(Demo.simulate(SEED));
    assertEquals(1, outages.size());
    DemoReport.RealServerOutage o = outages.get(0);
    assertEquals("rs2", o.realServer());
    DemoReport.DirectorView master = o.directors().get(0);
    assertEquals("n1", master.node());
    assertEquals(io.ha4j.api.Role.MASTER, master.roleAtFailure());
    // The dead real server got new connections exactly until the master's own checks took it out.
    assertEquals(master.outOfTableNanos(), o.deadTrafficNanos());
    for (DemoReport.DirectorView d : o.directors()) {
      assertEquals(d.checksDownNanos(), d.outOfTableNanos(), d.toString());
      assertEquals(d.checksUpNanos(), d.backInTableNanos(), d.toString());
    }
  }

  @Test
  void readmeQuotesTheRealServerPartOfSeedOneVerbatim() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("README.md"),
        StandardCharsets.UTF_8);
    int start = readme.indexOf("  14.000000s  *     FAULT   >>> rs-down rs2");
    assertTrue(start > 0, "README.md quotes the demo's rs-down line");
    String out = run("--seed", "1");
    for (String line : readme.substring(start, readme.indexOf("```", start)).split("\n")) {
      assertTrue(line.equals("  ...") || out.contains(line + "\n"), "README.md quotes a line the demo does not print: "
          + line + "\n" + out);
    }
  }

  @Test
  void theRunViolatesNoInvariantAndTheSummarySaysSo() {
    History history = Demo.simulate(SEED);
    assertEquals(List.of(), Invariant.checkAll(history));
    String out = run("--seed", "1");
    assertTrue(out.contains("all invariants hold: 0 violations"), out);
    for (Invariant i : Invariant.values()) {
      assertTrue(out.contains("  " + i + "  ok "), i + " not reported ok:\n" + out);
    }
  }

  @Test
  void theSameSeedPrintsTheSameOutputAndAnotherSeedAnotherTimeline() {
    String first = run("--seed", "1");
    assertEquals(first, run("--seed", "1"));
    assertNotEquals(withoutHeader(first), withoutHeader(run("--seed", "2")),
        "the seed drives the link jitter, so the times differ");
  }

  @Test
  void noSeedOfTheFirstFiftyViolatesAnInvariantAndEachDetectsTheFailedRealServerInTime() {
    RealServerPool pool = Demo.REAL_SERVERS;
    for (long seed = 1; seed <= 50; seed++) {
      History history = Demo.simulate(seed);
      assertEquals(List.of(), Invariant.checkAll(history), "seed " + seed);
      long dead = DemoReport.outages(history).get(0).deadTrafficNanos();
      Bounds bounds = Bounds.of(history);
      long bound = bounds.detectionNanos(pool);
      // CheckSettings: of fall 2 failed rounds the second cannot end before one interval plus a
      // timeout, less one link delay (a probe sent just before the failure goes unanswered too).
      long earliest = (pool.fall() - 1) * pool.interval().toNanos() + pool.timeout().toNanos() - bounds.maxDelayNanos();
      assertTrue(dead >= earliest && dead <= bound, "seed " + seed + ": " + dead + " not in (" + earliest + ", " + bound + "]");
    }
  }

  /** The output without its first line, which names the seed. */
  private static String withoutHeader(String out) {
    return out.substring(out.indexOf('\n') + 1);
  }

  private static String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Demo.run(args, print(out), print(err));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static PrintStream print(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }
}
