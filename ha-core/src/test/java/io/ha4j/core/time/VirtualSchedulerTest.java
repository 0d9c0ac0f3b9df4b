package io.ha4j.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {

  final VirtualClock clock = new VirtualClock(1_000);
  final VirtualScheduler a = clock.newScheduler("a");
  final VirtualScheduler b = clock.newScheduler("b");
  final List<String> log = new ArrayList<>();

  Runnable note(String what) {
    return () -> log.add(what + "@" + (clock.nanoTime() - 1_000) / 1_000_000);
  }

  @Test
  void runsInDeadlineOrderAcrossSchedulersAndTiesInFifoOrder() {
    a.schedule(Duration.ofMillis(20), note("a20"));
    b.schedule(Duration.ofMillis(10), note("b10"));
    a.schedule(Duration.ofMillis(10), note("a10"));
    b.execute(note("b0"));
    clock.advanceBy(Duration.ofMillis(15));
    assertEquals(List.of("b0@0", "b10@10", "a10@10"), log);
    assertEquals(15_000_000 + 1_000, clock.nanoTime(), "time stops at the target");
    clock.advanceBy(Duration.ofMillis(5));
    assertEquals("a20@20", log.get(3));
  }

  @Test
  void cancelledTasksDoNotRun() {
    Cancellable c = a.schedule(Duration.ofMillis(1), note("x"));
    c.cancel();
    c.cancel();
    assertTrue(clock.runUntilIdle(Duration.ofSeconds(1)));
    assertEquals(List.of(), log);
  }

  @Test
  void fixedRateRunsEveryPeriodUntilCancelled() {
    Cancellable c = a.scheduleAtFixedRate(Duration.ofMillis(5), Duration.ofMillis(10), note("p"));
    clock.advanceBy(Duration.ofMillis(30));
    c.cancel();
    clock.advanceBy(Duration.ofMillis(30));
    assertEquals(List.of("p@5", "p@15", "p@25"), log);
  }

  @Test
  void tasksCanScheduleTasksAtTheSameInstant() {
    a.schedule(Duration.ofMillis(1), () -> {
      log.add("outer");
      a.execute(note("inner"));
    });
    clock.advanceBy(Duration.ofMillis(1));
    assertEquals(List.of("outer", "inner@1"), log);
  }

  @Test
  void frozenSchedulerRunsItsDueTasksLateInOrderWhileOthersRunOnTime() {
    a.schedule(Duration.ofMillis(30), note("a30"));
    a.schedule(Duration.ofMillis(10), note("a10"));
    a.scheduleAtFixedRate(Duration.ofMillis(20), Duration.ofMillis(20), note("ap"));
    b.schedule(Duration.ofMillis(10), note("b10"));
    a.freeze(Duration.ofMillis(50));
    assertTrue(a.isFrozen());
    b.schedule(Duration.ofMillis(40), () -> a.execute(note("a-from-b")));
    clock.advanceBy(Duration.ofMillis(70));
    assertFalse(a.isFrozen());
    // ap is planned at 20 and 40 (both late, run at 50 by deadline), then 60 on time. Its run
    // planned at 40 is queued only after the one planned at 20 ran, so a-from-b (queued at 40,
    // planned at 40) goes first, as with ScheduledThreadPoolExecutor.
    assertEquals(List.of("b10@10", "a10@50", "ap@50", "a30@50", "a-from-b@50", "ap@50", "ap@60"), log);
  }

  @Test
  void runUntilIdleStopsAtTheLimitWithPeriodicTasks() {
    a.scheduleAtFixedRate(Duration.ZERO, Duration.ofSeconds(1), note("p"));
    assertFalse(clock.runUntilIdle(Duration.ofMillis(2500)));
    assertEquals(List.of("p@0", "p@1000", "p@2000"), log);
    assertEquals(Duration.ofMillis(2500), clock.since(1_000));
  }

  @Test
  void runawayIsReportedNamingTheScheduler() {
    clock.setRunawayLimit(1000);
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> b.execute(loop[0]);
    b.execute(loop[0]);
    RunawayException e = assertThrows(RunawayException.class, () -> clock.advanceBy(Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("scheduler 'b'"), e.getMessage());
  }

  @Test
  void aTaskThatThrowsStopsTheAdvanceAndPropagates() {
    a.schedule(Duration.ofMillis(5), () -> {
      throw new IllegalStateException("boom");
    });
    a.schedule(Duration.ofMillis(6), note("later"));
    assertThrows(IllegalStateException.class, () -> clock.advanceBy(Duration.ofMillis(10)));
    assertEquals(Duration.ofMillis(5), clock.since(1_000));
    clock.advanceBy(Duration.ofMillis(5));
    assertEquals(List.of("later@6"), log);
  }

  @Test
  void aTaskMustNotAdvanceItsOwnClock() {
    a.execute(() -> clock.advanceBy(Duration.ofMillis(1)));
    assertThrows(IllegalStateException.class, clock::runDue);
  }
}
