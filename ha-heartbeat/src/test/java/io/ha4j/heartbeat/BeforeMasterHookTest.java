package io.ha4j.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Issue 16 item 12: the before-master hook holds neither the election's lock nor its scheduler. */
class BeforeMasterHookTest {

  private static final Duration NO_DEADLOCK = Duration.ofSeconds(20);

  @Test
  void aHookWaitingForAnotherThreadThatCallsTheElectionDoesNotDeadlock() {
    // An embedder's hook that asks its own component, which asks the election from its thread.
    AtomicReference<VrrpElection> election = new AtomicReference<>();
    ElectionFixture f = new ElectionFixture(b -> b.beforeMaster(r -> {
      boolean known = CompletableFuture.supplyAsync(() -> election.get().masterKnown()).join();
      return CompletableFuture.completedFuture(known);
    }, Duration.ofSeconds(30)));
    election.set(f.election);
    f.started();
    assertTimeoutPreemptively(NO_DEADLOCK, () -> {
      f.advance(f.masterDownInterval());
      f.awaitRole(Role.MASTER);
    });
  }

  @Test
  void aHookThatBlocksDelaysOnlyThePromotionUpToItsTimeout() throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch called = new CountDownLatch(1);
    ElectionFixture f = new ElectionFixture(b -> b.beforeMaster(r -> {
      called.countDown();
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return CompletableFuture.completedFuture(null);
    }, Duration.ofSeconds(2)));
    f.started();
    try {
      assertTimeoutPreemptively(NO_DEADLOCK, () -> {
        f.advance(f.masterDownInterval());
        assertTrue(called.await(10, TimeUnit.SECONDS));
        // The election still runs while the hook blocks: it hears a master and gives up the promotion.
        f.receive("n2", 200);
        assertEquals(Role.BACKUP, f.role());
        assertEquals(0, f.sent().size());
        // And without one, the timeout makes it master anyway.
        f.advance(f.masterDownInterval());
        f.advance(Duration.ofSeconds(2));
        f.awaitRole(Role.MASTER);
      });
    } finally {
      never.countDown();
    }
  }
}
