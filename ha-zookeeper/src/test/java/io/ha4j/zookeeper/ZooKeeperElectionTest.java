package io.ha4j.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import io.ha4j.api.election.Tracked;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The election against an in-process ZooKeeper server with a 100 ms tick, so that sessions of 1.5
 * s are allowed (2 to 20 ticks) and each test takes a few seconds.
 */
class ZooKeeperElectionTest {

  static final Duration SESSION = Duration.ofMillis(1500);
  static final Duration WAIT = Duration.ofSeconds(10);

  private TestingServer server;
  private final List<Candidacy> members = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 100, -1), true);
  }

  @AfterEach
  void stopAll() throws Exception {
    Candidacy.checkAndClose(members, server);
  }

  private Candidacy member(String id, int priority, boolean preempt) {
    return member(id, priority, preempt, server.getConnectString());
  }

  private Candidacy member(String id, int priority, boolean preempt, String connect) {
    Candidacy c = new Candidacy(id, connect, SESSION, b -> b.priority(priority).preempt(preempt));
    members.add(c);
    return c.start();
  }

  @Test
  void ofThreeCandidatesTheHighestPriorityLeads() {
    Candidacy n1 = member("n1", 100, true);
    Candidacy n2 = member("n2", 200, true);
    Candidacy n3 = member("n3", 150, true);
    await(() -> n2.role() == Role.MASTER, "n2 master");
    await(() -> n1.election.liveMembers() == 3 && n3.election.liveMembers() == 3, "all three seen");
    assertEquals(Role.BACKUP, n1.role());
    assertEquals(Role.BACKUP, n3.role());
    assertTrue(n1.election.masterKnown());
    assertTrue(n2.election.fencingToken().isPresent());
    assertFalse(n1.election.fencingToken().isPresent());
  }

  @Test
  void aHigherNewcomerWithoutPreemptLeavesTheLeaderAlone() throws Exception {
    Candidacy n1 = member("n1", 100, true);
    await(() -> n1.role() == Role.MASTER, "n1 master");
    Candidacy n2 = member("n2", 200, false);
    await(() -> n2.election.liveMembers() == 2 && n2.election.masterKnown(), "n2 sees n1 lead");
    Thread.sleep(500);
    assertEquals(Role.MASTER, n1.role());
    assertEquals(Role.BACKUP, n2.role());
  }

  @Test
  void aHigherNewcomerThatPreemptsTakesOverWithAGreaterToken() {
    Candidacy n1 = member("n1", 100, true);
    await(() -> n1.role() == Role.MASTER, "n1 master");
    long first = n1.lastToken();
    Candidacy n2 = member("n2", 200, true);
    await(() -> n2.role() == Role.MASTER, "n2 master");
    assertEquals(Role.BACKUP, n1.role());
    assertTrue(n1.lastAt(Role.BACKUP) < n2.lastAt(Role.MASTER), "the old master let go first");
    assertTrue(n2.lastToken() > first, n2.lastToken() + " > " + first);
  }

  @Test
  void whenTheLeaderClosesTheNextLeadsWithAGreaterTokenAndItsNodesAreGone() throws Exception {
    Candidacy n1 = member("n1", 100, true);
    Candidacy n2 = member("n2", 150, true);
    Candidacy n3 = member("n3", 200, true);
    await(() -> n3.role() == Role.MASTER && n1.election.liveMembers() == 3 && n2.election.liveMembers() == 3, "n3 leads 3");
    long before = n3.lastToken();
    long closing = System.nanoTime();
    n3.close();
    await(() -> n2.role() == Role.MASTER, "n2 master");
    System.out.printf("fail-over on close: %.1f ms%n", (n2.lastAt(Role.MASTER) - closing) / 1e6);
    assertTrue(n2.lastToken() > before);
    assertEquals(Role.INIT, n3.role());
    try (CuratorFramework look = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
      look.start();
      List<String> names = look.getChildren().forPath("/test/group/candidates");
      assertEquals(2, names.size(), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.contains("6e33")), "n3's candidate (hex 6e33) is gone: " + names);
    }
  }

  @Test
  void aSilentPartitionMakesTheMasterReleaseBeforeItsSessionExpiresAndRejoinAfterward() throws Exception {
    try (BlackholeProxy proxy = new BlackholeProxy(server.getPort())) {
      Candidacy n1 = member("n1", 200, true, proxy.connectString());
      Candidacy n2 = member("n2", 100, true);
      await(() -> n1.role() == Role.MASTER && n2.election.liveMembers() == 2, "n1 leads 2");
      long first = n1.lastToken();
      long cut = System.nanoTime();
      proxy.cut();
      await(() -> n2.role() == Role.MASTER, "n2 master after n1's session expired");
      long released = n1.lastAt(Role.BACKUP);
      long taken = n2.lastAt(Role.MASTER);
      ReleaseMargin m = n1.election.releaseMargin();
      System.out.printf("partition: %s; n1 released after %.1f ms, n2 master after %.1f ms; observed margin %.1f ms%n",
          m, (released - cut) / 1e6, (taken - cut) / 1e6, (taken - released) / 1e6);
      assertTrue(released > cut && released < taken, "BACKUP at SUSPENDED comes before the expiry lets n2 lead");
      assertTrue(n2.lastToken() > first);

      proxy.heal();
      await(() -> n1.role() == Role.MASTER, "n1 rejoined and preempted");
      assertTrue(n1.lastToken() > n2.lastToken());
      assertTrue(n1.reported.stream().anyMatch(r -> r.change().reason().contains("suspended")), n1.reported.toString());
    }
  }

  @Test
  void aPlantedBugThatKeepsTheRoleWhileSuspendedIsCaughtAsTwoMasters() throws Exception {
    // Curator tech note 10, CURATOR-460: a leader that ignores SUSPENDED leads on after expiry.
    try (BlackholeProxy proxy = new BlackholeProxy(server.getPort())) {
      Candidacy n1 = member("n1", 200, true, proxy.connectString());
      n1.election.releaseOnSuspended = false;
      Candidacy n2 = member("n2", 100, true);
      await(() -> n1.role() == Role.MASTER && n2.election.liveMembers() == 2, "n1 leads 2");
      proxy.cut();
      await(() -> n2.role() == Role.MASTER, "n2 master after n1's session expired");
      AssertionError caught = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> Candidacy.assertNeverTwoMasters(members));
      System.out.println("planted bug: " + caught.getMessage());
      // n1 stays master until Curator's LOST (a whole session timeout after SUSPENDED): end it here.
      members.remove(n1);
      n1.close();
    }
  }

  @Test
  void aServerRestartWithinTheSessionKeepsTheTermAfterTheMasterLetGo() throws Exception {
    Candidacy n1 = pairLedByN1();
    long term = n1.lastToken();
    long session = n1.election.curatorForTests().getZookeeperClient().getZooKeeper().getSessionId();
    long stop = System.nanoTime();
    server.stop();
    await(() -> n1.role() == Role.BACKUP, "n1 released at SUSPENDED");
    System.out.printf("server stop: n1 released after %.1f ms%n", (n1.lastAt(Role.BACKUP) - stop) / 1e6);
    server.restart();
    await(() -> n1.role() == Role.MASTER, "n1 master again once its session is proven");
    if (n1.election.curatorForTests().getZookeeperClient().getZooKeeper().getSessionId() == session) {
      assertEquals(term, n1.lastToken(), "same session, same term: nobody could have held the node");
    } else {
      // The restart outlasted the session (Curator's LOST or the server's expiry): a new term.
      assertTrue(n1.lastToken() > term);
    }
  }

  @Test
  void aStallLongerThanTheMarginReleasesAtOnceAndLeadsAgainOnlyAfterProof() throws Exception {
    Candidacy n1 = pairLedByN1();
    long margin = n1.election.releaseMargin().margin().toMillis();
    // The election's own thread stands still for longer than the margin: a GC pause as it sees one.
    n1.scheduler.execute(() -> {
      try {
        Thread.sleep(margin + 300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    await(() -> n1.election.stalls() == 1, "stall seen");
    await(() -> n1.role() == Role.MASTER, "n1 leads again after the sync");
    List<String> reasons = n1.reported.stream().map(r -> r.change().reason()).toList();
    assertTrue(reasons.stream().anyMatch(r -> r.startsWith("stalled")), reasons.toString());
    System.out.printf("stall: %s%n", reasons);
  }

  @Test
  void anExpiredSessionRejoinsWithANewCandidate() throws Exception {
    // Expiry as it happens: the client is cut off first (SUSPENDED), Curator gives up after the
    // session timeout (LOST), and the server expires the old session only a timeout after it is
    // back. (ZooKeeperTestable.injectSessionExpiration skips SUSPENDED: Curator closes the old
    // session on the server before it posts LOST, and another member can lead before the master
    // hears of it; no timeout does that.)
    Candidacy n1 = pairLedByN1();
    long first = n1.lastToken();
    server.stop();
    await(() -> n1.role() == Role.BACKUP, "n1 released at SUSPENDED");
    Thread.sleep(SESSION.toMillis() + 300);
    server.restart();
    await(() -> n1.role() == Role.MASTER, "n1 back with a new session");
    assertTrue(n1.lastToken() > first, "a new term: " + n1.lastToken() + " > " + first);
  }

  @Test
  void aTrackedCheckDownMovesThePriorityAndAFaultGivesUpTheLead() {
    Tracked web = Tracked.check("web");
    Candidacy n1 = new Candidacy("n1", server.getConnectString(), SESSION, b -> b.priority(200).track(web, -150));
    members.add(n1.start());
    Candidacy n2 = member("n2", 100, true);
    await(() -> n1.role() == Role.MASTER && n2.election.liveMembers() == 2, "n1 leads 2");
    assertTrue(n1.election.setTracked(web, false));
    assertFalse(n1.election.setTracked(Tracked.networkInterface("eth9"), false), "not tracked");
    await(() -> n2.role() == Role.MASTER, "n2 preempts n1 at 50");
    assertEquals(50, n1.election.effectivePriority());
    assertTrue(n1.election.setTracked(web, true));
    await(() -> n1.role() == Role.MASTER, "n1 preempts back at 200");
    n1.election.setTracked(Tracked.heldAddress("198.51.100.7"), false);
    await(() -> n1.role() == Role.FAULT && n2.role() == Role.MASTER, "n1 FAULT, n2 master");
  }

  /** n1 at priority 200 leading n2 at 100, both seen. */
  private Candidacy pairLedByN1() {
    Candidacy n1 = member("n1", 200, true);
    Candidacy n2 = member("n2", 100, true);
    await(() -> n1.role() == Role.MASTER && n2.election.liveMembers() == 2, "n1 leads 2");
    return n1;
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
