package io.ha4j.testkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.core.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSchedulerTest {

  private final VirtualClock timeline = new VirtualClock();
  private final List<String> log = new ArrayList<>();

  @Test
  void fastClockFiresTimersEarlierInTrueTimeButOnTimeOnItsOwnClock() {
    NodeScheduler s = new NodeScheduler(timeline, "n1", 1.25);
    s.schedule(Duration.ofSeconds(1), () -> log.add(timeline.nanoTime() + " " + s.clock().nanoTime()));
    timeline.advanceBy(Duration.ofSeconds(2));
    assertEquals(List.of("800000000 1000000000"), log);
  }

  @Test
  void rateChangeKeepsTheClockContinuous() {
    NodeScheduler s = new NodeScheduler(timeline, "n1", 1.0);
    timeline.advanceBy(Duration.ofSeconds(1));
    s.setRate(0.5);
    timeline.advanceBy(Duration.ofSeconds(2));
    assertEquals(2_000_000_000L, s.clock().nanoTime());
  }

  @Test
  void killedSchedulerRunsNothingMore() {
    NodeScheduler s = new NodeScheduler(timeline, "n1", 1.0);
    s.schedule(Duration.ofSeconds(1), () -> log.add("timer"));
    s.scheduleAtFixedRate(Duration.ofMillis(100), Duration.ofMillis(100), () -> log.add("tick"));
    s.kill();
    s.socket().execute(() -> log.add("datagram"));
    timeline.advanceBy(Duration.ofSeconds(2));
    assertEquals(List.of(), log);
  }

  @Test
  void afterAStallOverdueTimersRunBeforeTheDatagramsThatWaitedInTheSocket() {
    // A GC pause stops the receive thread too: the timer thread may run first when it ends, which is
    // the case a stall guard must handle (keepalived issues #1955, #2271).
    NodeScheduler s = new NodeScheduler(timeline, "n1", 1.0);
    s.schedule(Duration.ofMillis(500), () -> log.add("timer late by " + (timeline.nanoTime() - 500_000_000L)));
    s.stall(Duration.ofSeconds(1));
    timeline.advanceBy(Duration.ofMillis(100));
    s.socket().execute(() -> log.add("datagram at " + timeline.nanoTime()));
    timeline.advanceBy(Duration.ofMillis(900));
    assertEquals(List.of(), log.stream().filter(x -> x.startsWith("datagram")).toList());
    s.resume();
    timeline.runDue();
    assertEquals(List.of("timer late by 500000000", "datagram at 1000000000"), log);
  }
}
