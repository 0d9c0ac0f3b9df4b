package io.ha4j.core.health;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthChange;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.api.health.HealthState;
import io.ha4j.api.health.Maintenance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.core.time.SystemScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's rounds, thresholds, retries, timeouts and overrides, with user-supplied checks. */
class HealthEngineTest {

  private final SystemScheduler scheduler = new SystemScheduler("health-test");
  private final HealthEngine engine = new HealthEngine(scheduler, new Random(42));
  private final List<HealthChange> changes = new CopyOnWriteArrayList<>();

  HealthEngineTest() {
    engine.addListener(changes::add);
  }

  @AfterEach
  void close() {
    engine.close();
    scheduler.close();
  }

  private static CheckSettings fast() {
    return CheckSettings.of(Duration.ofMillis(10), Duration.ofSeconds(10)).withWarmupJitter(false);
  }

  /** A check that plays a script of round outcomes ('S' up, 'F' down), then stays up. */
  private static HealthCheck script(String outcomes, AtomicInteger rounds) {
    return ctx -> {
      int n = rounds.incrementAndGet();
      boolean up = n > outcomes.length() || outcomes.charAt(n - 1) == 'S';
      return CompletableFuture.completedFuture(new CheckResult(up, "round " + n));
    };
  }

  @Test
  void flappingTargetChangesStateOnlyAfterRiseOrFallConsecutiveRounds() {
    // keepalived.conf(5): "rise" successes before up, "fall" failures before down.
    var rounds = new AtomicInteger();
    engine.register("rs", script("SSFFSFFFSFSS", rounds), fast().withRise(2).withFall(3));
    Await.until("three changes", () -> changes.size() >= 3 && rounds.get() > 14);
    assertEquals(
        List.of(
            new HealthChange("rs", HealthState.UNKNOWN, HealthState.UP, Maintenance.NONE, "round 2"),
            new HealthChange("rs", HealthState.UP, HealthState.DOWN, Maintenance.NONE, "round 8"),
            new HealthChange("rs", HealthState.DOWN, HealthState.UP, Maintenance.NONE, "round 12")),
        changes);
    assertEquals(HealthState.UP, engine.state("rs"));
  }

  @Test
  void unknownUntilFallFailuresThenDown() {
    var rounds = new AtomicInteger();
    var states = new CopyOnWriteArrayList<HealthState>();
    engine.register("rs", ctx -> {
      states.add(engine.state("rs"));
      rounds.incrementAndGet();
      return CompletableFuture.completedFuture(CheckResult.down("refused"));
    }, fast().withFall(3));
    Await.until("down", () -> engine.state("rs") == HealthState.DOWN);
    // The state seen by rounds 1..3 is the state before them: UNKNOWN until the third has failed.
    // A copy: rounds go on adding while the assertion reads (a view of the live list threw
    // ConcurrentModificationException once).
    assertEquals(List.of(HealthState.UNKNOWN, HealthState.UNKNOWN, HealthState.UNKNOWN), List.copyOf(states).subList(0, 3));
    assertEquals(new HealthChange("rs", HealthState.UNKNOWN, HealthState.DOWN, Maintenance.NONE, "refused"), changes.get(0));
  }

  @Test
  void retriesWithinARoundHideOneFailedAttempt() {
    // keepalived's retry / delay_before_retry: the round only fails when every attempt failed.
    var attempts = new CopyOnWriteArrayList<Integer>();
    HealthCheck failsFirstAttempt = ctx -> {
      attempts.add(ctx.attempt());
      return CompletableFuture.completedFuture(new CheckResult(ctx.attempt() == 1, "attempt " + ctx.attempt()));
    };
    engine.register("retried", failsFirstAttempt, fast().withRetries(1, Duration.ofMillis(5)));
    engine.register("single", failsFirstAttempt, fast());
    Await.until("both decided", () -> engine.state("retried") != HealthState.UNKNOWN
        && engine.state("single") != HealthState.UNKNOWN);
    assertEquals(HealthState.UP, engine.state("retried"));
    assertEquals(HealthState.DOWN, engine.state("single"));
    assertEquals("attempt 1", engine.lastResult("retried").orElseThrow().detail());
  }

  @Test
  void attemptThatNeverAnswersTimesOutAndIsCancelled() {
    var pending = new CopyOnWriteArrayList<CompletableFuture<CheckResult>>();
    engine.register("hung", ctx -> {
      var f = new CompletableFuture<CheckResult>();
      pending.add(f);
      return f;
    }, CheckSettings.of(Duration.ofMillis(10), Duration.ofMillis(100)).withWarmupJitter(false));
    Await.until("down", () -> engine.state("hung") == HealthState.DOWN);
    assertEquals("timed out after PT0.1S", engine.lastResult("hung").orElseThrow().detail());
    assertTrue(pending.get(0).isCancelled(), "the timed-out attempt is cancelled");
  }

  @Test
  void checkThatThrowsCountsAsDown() {
    engine.register("broken", ctx -> {
      throw new IllegalStateException("no route");
    }, fast());
    Await.until("down", () -> engine.state("broken") == HealthState.DOWN);
    assertTrue(engine.lastResult("broken").orElseThrow().detail().contains("no route"));
  }

  @Test
  void attemptsOfOneTargetNeverOverlapEvenWhenSlowerThanTheInterval() {
    var running = new AtomicInteger();
    var maxRunning = new AtomicInteger();
    var finished = new AtomicInteger();
    var later = CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS);
    engine.register("slow", ctx -> {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      return CompletableFuture.supplyAsync(() -> {
        running.decrementAndGet();
        finished.incrementAndGet();
        return CheckResult.up("done");
      }, later);
    }, CheckSettings.of(Duration.ofMillis(1), Duration.ofSeconds(10)).withWarmupJitter(false));
    Await.until("10 rounds", () -> finished.get() >= 10);
    assertEquals(1, maxRunning.get());
  }

  @Test
  void nextAttemptStartsOnlyAfterTheTimedOutOneWasCancelled() {
    var log = Collections.synchronizedList(new ArrayList<String>());
    var n = new AtomicInteger();
    engine.register("hung", ctx -> {
      int i = n.incrementAndGet();
      log.add("start " + i);
      var f = new CompletableFuture<CheckResult>();
      f.whenComplete((r, e) -> log.add("cancel " + i));
      return f;
    }, CheckSettings.of(Duration.ofMillis(1), Duration.ofMillis(30)).withWarmupJitter(false));
    Await.until("4 attempts", () -> n.get() >= 4);
    synchronized (log) {
      assertEquals(List.of("start 1", "cancel 1", "start 2", "cancel 2", "start 3", "cancel 3", "start 4"), log.subList(0, 7));
    }
  }

  @Test
  void maintenanceOverrideIsSeenByListenersAndQueriesWhileChecksContinue() {
    var rounds = new AtomicInteger();
    engine.register("rs", script("", rounds), fast());
    Await.until("up", () -> engine.state("rs") == HealthState.UP);
    engine.setMaintenance("rs", Maintenance.DRAIN);
    assertEquals(Maintenance.DRAIN, engine.maintenance("rs"));
    int before = rounds.get();
    Await.until("drain event and more rounds", () -> changes.size() >= 2 && rounds.get() > before + 3);
    assertEquals(new HealthChange("rs", HealthState.UP, HealthState.UP, Maintenance.DRAIN, "maintenance NONE -> DRAIN"), changes.get(1));
    engine.setMaintenance("rs", Maintenance.DISABLE);
    engine.setMaintenance("rs", Maintenance.NONE);
    Await.until("two more events", () -> changes.size() >= 4);
    assertEquals(Maintenance.DISABLE, changes.get(2).maintenance());
    assertEquals(Maintenance.NONE, changes.get(3).maintenance());
    assertEquals(Maintenance.NONE, engine.maintenance("rs"));
  }

  @Test
  void unregisterStopsRoundsAndCancelsThePendingAttempt() throws Exception {
    var pending = new CompletableFuture<CheckResult>();
    var started = new AtomicInteger();
    var registration = engine.register("rs", ctx -> {
      started.incrementAndGet();
      return pending;
    }, fast());
    Await.until("attempt started", () -> started.get() == 1);
    registration.cancel();
    assertTrue(pending.isCancelled());
    assertFalse(engine.targets().contains("rs"));
    assertThrows(NoSuchElementException.class, () -> engine.state("rs"));
    // A later registration under the same id is a new target.
    var rounds = new AtomicInteger();
    engine.register("rs", script("", rounds), fast());
    Await.until("new target up", () -> engine.state("rs") == HealthState.UP);
    assertEquals(1, started.get());
  }

  @Test
  void duplicateIdIsRejected() {
    engine.register("rs", script("", new AtomicInteger()), fast());
    var e = assertThrows(IllegalStateException.class, () -> engine.register("rs", script("", new AtomicInteger()), fast()));
    assertTrue(e.getMessage().contains("'rs'"), e.getMessage());
  }

  @Test
  void warmupJitterIsRepeatableFromTheSeedAndWithinOneInterval() {
    Duration interval = Duration.ofSeconds(3);
    var settings = CheckSettings.of(interval, Duration.ofSeconds(1));
    List<Long> a = firstStartOffsets(new Random(7), settings);
    List<Long> b = firstStartOffsets(new Random(7), settings);
    List<Long> c = firstStartOffsets(new Random(99991), settings);
    assertEquals(a, b);
    assertNotEquals(a, c);
    long ms = TimeUnit.MILLISECONDS.toNanos(1);
    assertTrue(a.stream().allMatch(d -> d >= 0 && d < interval.toNanos() + ms), a.toString());
    assertEquals(8, a.stream().distinct().count(), "targets are spread: " + a);
    List<Long> none = firstStartOffsets(new Random(7), settings.withWarmupJitter(false));
    assertTrue(none.stream().allMatch(d -> d >= 0 && d < ms), "without jitter, within the first slot: " + none);
  }

  /**
   * When the first round of each of 8 targets was planned, in nanoseconds after registration, on a
   * manual clock: exact, so two runs can be compared for equality.
   */
  private static List<Long> firstStartOffsets(Random random, CheckSettings settings) {
    var manual = io.ha4j.core.time.VirtualScheduler.create();
    long t0 = manual.clock().nanoTime();
    var planned = new ConcurrentHashMap<String, Long>();
    try (var e = new HealthEngine(manual, random)) {
      for (int i = 0; i < 8; i++) {
        e.register("t" + i, ctx -> {
          planned.putIfAbsent(ctx.target(), ctx.plannedStartNanos() - t0);
          // Rounds start on millisecond boundaries, never before they were planned.
          assertEquals(0, ctx.plannedStartNanos() % TimeUnit.MILLISECONDS.toNanos(1));
          assertTrue(manual.clock().nanoTime() >= ctx.plannedStartNanos());
          return CompletableFuture.completedFuture(CheckResult.up("ok"));
        }, settings);
      }
      manual.clock().advanceBy(settings.interval().plusMillis(2));
    }
    assertEquals(8, planned.size());
    return java.util.stream.IntStream.range(0, 8).mapToObj(i -> planned.get("t" + i)).toList();
  }

  @Test
  void settingsNameTheBadFieldAndValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> CheckSettings.defaults().withRise(0));
    assertTrue(e.getMessage().contains("rise") && e.getMessage().contains("0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CheckSettings.of(Duration.ZERO, Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("interval") && e.getMessage().contains("PT0S"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CheckSettings.defaults().withRetries(-1, Duration.ZERO));
    assertTrue(e.getMessage().contains("retries") && e.getMessage().contains("-1"), e.getMessage());
  }

  @Test
  void builtInChecksRefuseAForeignContext() {
    var ctx = new CheckContext() {
      @Override public String target() { return "x"; }
      @Override public Duration timeout() { return Duration.ofSeconds(1); }
      @Override public long plannedStartNanos() { return 0; }
      @Override public int attempt() { return 0; }
    };
    var check = new TcpCheck(new java.net.InetSocketAddress("127.0.0.1", 1));
    assertThrows(IllegalArgumentException.class, () -> check.run(ctx));
  }

  @Test
  void lookupGivesTheReconcilerEachRealServersStateAndOverride() throws Exception {
    var service = io.ha4j.api.ServiceKey.of(io.ha4j.api.Protocol.TCP, java.net.InetAddress.getByName("198.51.100.10"), 80);
    var down = new io.ha4j.api.RealServer.Endpoint(java.net.InetAddress.getByName("203.0.113.1"), 80);
    var unchecked = new io.ha4j.api.RealServer.Endpoint(java.net.InetAddress.getByName("203.0.113.2"), 80);
    engine.register(HealthEngine.targetId(service, down),
        ctx -> CompletableFuture.completedFuture(CheckResult.down("refused")), fast());
    var lookup = engine.lookup();
    Await.until("down", () -> lookup.statusOf(service, down).health() == HealthState.DOWN);
    assertEquals(io.ha4j.api.reconcile.RealServerStatus.UNKNOWN, lookup.statusOf(service, unchecked));
    engine.setMaintenance(HealthEngine.targetId(service, down), Maintenance.DRAIN);
    Await.until("drained", () -> lookup.statusOf(service, down).maintenance() == Maintenance.DRAIN);
  }
}
