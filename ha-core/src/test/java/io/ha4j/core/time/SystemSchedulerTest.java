package io.ha4j.core.time;

import io.ha4j.api.Cancellable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The production scheduler's exact tasks: never early (RFC 5798's master-down timer must not
 * fire before the master-down interval), and never ahead of a task that fell due before them.
 */
class SystemSchedulerTest {

  @Test
  void anExactTaskNeverRunsBeforeItsDeadline() throws Exception {
    try (SystemScheduler s = new SystemScheduler("exact-test")) {
      for (long delayMicros : new long[] {0, 200, 900, 1_500, 5_000, 20_000}) {
        long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(delayMicros);
        CompletableFuture<Long> ran = new CompletableFuture<>();
        s.scheduleExact(Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(delayMicros)), () -> ran.complete(System.nanoTime()));
        long at = ran.get(5, TimeUnit.SECONDS);
        assertTrue(at - deadline >= 0, "ran " + (deadline - at) + " ns early for a delay of " + delayMicros + " us");
      }
    }
  }

  @Test
  void aTaskDueBeforeAnExactDeadlineRunsFirst() throws Exception {
    // As with plain tasks: a datagram that arrived before the master-down deadline is handled
    // before the timer, even while the timer waits on the CPU for its deadline.
    try (SystemScheduler s = new SystemScheduler("exact-test")) {
      List<String> order = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> done = new CompletableFuture<>();
      long base = System.nanoTime();
      // 200 ms: the test thread must schedule the plain task before the exact one's deadline, also
      // on a loaded machine (20 ms was not always enough under a parallel build).
      s.scheduleExact(Duration.ofMillis(200), () -> {
        order.add("exact");
        done.complete(null);
      });
      // Due 0.5 ms before the exact task, while that one waits on the CPU (it wakes 1 ms early).
      long plainDue = base + TimeUnit.MICROSECONDS.toNanos(199_500);
      s.schedule(Duration.ofNanos(Math.max(0, plainDue - System.nanoTime())), () -> order.add("plain"));
      done.get(5, TimeUnit.SECONDS);
      assertEquals(List.of("plain", "exact"), order);
    }
  }

  @Test
  void aCancelledExactTaskDoesNotRunAndTheSchedulerKnowsItsThread() throws Exception {
    try (SystemScheduler s = new SystemScheduler("exact-test")) {
      List<String> ran = new CopyOnWriteArrayList<>();
      Cancellable c = s.scheduleExact(Duration.ofMillis(5), () -> ran.add("cancelled"));
      c.cancel();
      CompletableFuture<Boolean> inThread = new CompletableFuture<>();
      s.schedule(Duration.ofMillis(30), () -> inThread.complete(s.inSchedulerThread()));
      assertTrue(inThread.get(5, TimeUnit.SECONDS));
      assertFalse(s.inSchedulerThread(), "the test's thread is not the scheduler's");
      assertEquals(List.of(), ran);
    }
  }
  @Test
  void closeRunsTheTasksAlreadyDueAndDropsTheRest() throws Exception {
    // issue 16 item 10: member.stop(); scheduler.close(); the stop handed over just before must run
    SystemScheduler s = new SystemScheduler("close-test");
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    s.execute(() -> {
      busy.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
        ran.add("first");
      } catch (InterruptedException e) {
        ran.add("interrupted");
      }
    });
    s.execute(() -> ran.add("due"));
    s.schedule(Duration.ofHours(1), () -> ran.add("later"));
    assertTrue(busy.await(5, TimeUnit.SECONDS));
    CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      gate.countDown();
    });
    s.close();
    assertEquals(List.of("first", "due"), ran);
    s.execute(() -> ran.add("after close"));
    assertEquals(List.of("first", "due"), ran);
  }
}
