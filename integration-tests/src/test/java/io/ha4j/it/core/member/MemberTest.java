package io.ha4j.it.core.member;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.election.Tracked;
import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.api.address.AddressOwner;
import io.ha4j.api.member.ApplicationControl;
import io.ha4j.core.member.Member;
import io.ha4j.core.member.MemberBuilder;
import io.ha4j.core.member.MemberEvent;
import io.ha4j.core.member.StandbyPolicy;
import io.ha4j.core.time.SystemScheduler;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.testkit.vip.FakeAddressKernel;
import io.ha4j.vip.AnnouncementPolicy;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.ArpFrame;
import io.ha4j.vip.codec.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a member does with each role, on the real VIP owner over the byte-level fake kernel. */
class MemberTest {

  private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
  private final VirtualClock clock = new VirtualClock();
  private final VirtualScheduler scheduler = clock.newScheduler("member");
  private final FakeAddressKernel kernel = new FakeAddressKernel();
  private final ScriptedElection election = new ScriptedElection();
  private final List<MemberEvent> events = new ArrayList<>();
  private VirtualAddress vip;
  private VirtualAddress extra;
  private VipOwner owner;

  @BeforeEach
  void setUp() throws Exception {
    kernel.addInterface("eth0", MAC);
    vip = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
    extra = VirtualAddress.of(InetAddress.getByName("198.51.100.101"), 24, "eth0");
    owner = VipOwner.builder(kernel, scheduler).manage(vip, extra).announcement(AnnouncementPolicy.KEEPALIVED).build();
  }

  @AfterEach
  void tearDown() {
    owner.close();
  }

  private MemberBuilder member() {
    return Member.builder(scheduler, election, owner).virtualAddresses(List.of(vip)).listener(events::add);
  }

  private void settle() {
    clock.advanceBy(Duration.ofMillis(1));
  }

  @Test
  void masterTakesAndAnnouncesTheVipAndBackupGivesItBack() {
    // design.md: on MASTER acquire and announce the VIPs; on BACKUP and FAULT release them
    Member m = member().build();
    m.start();
    settle();
    assertTrue(election.started);
    assertFalse(kernel.has("eth0", vip.address()));
    election.become(Role.BACKUP, "start");
    election.become(Role.MASTER, "master-down timer expired");
    settle();
    assertTrue(kernel.has("eth0", vip.address()));
    assertFalse(kernel.frames().isEmpty(), "gratuitous ARP sent at takeover");
    assertTrue(events.stream().anyMatch(e -> e instanceof MemberEvent.AddressAnnounced));
    election.become(Role.FAULT, "interface down");
    settle();
    assertFalse(kernel.has("eth0", vip.address()));
    assertTrue(events.stream().anyMatch(e -> e instanceof MemberEvent.AddressReleased));
  }

  /** {@link #owner}, with the name of each call the member makes on it appended to {@code calls}. */
  private AddressOwner observed(List<String> calls) {
    return new AddressOwner() {
      @Override
      public void add(VirtualAddress address) {
        calls.add("add");
        owner.add(address);
      }

      @Override
      public void remove(VirtualAddress address) {
        calls.add("remove");
        owner.remove(address);
      }

      @Override
      public List<VirtualAddress> list() {
        calls.add("list");
        return owner.list();
      }

      @Override
      public void announce(VirtualAddress address) {
        calls.add("announce");
        owner.announce(address);
      }

      @Override
      public void prepare() {
        calls.add("prepare");
        owner.prepare();
      }

      @Override
      public void watch(Consumer<AddressEvent> listener) {
        owner.watch(listener);
      }

      @Override
      public void close() {
        owner.close();
      }
    };
  }

  @Test
  void aStandbyPreparesItsTakeOverAtStartAndAnnouncesBeforeReportingTheVip() {
    List<Integer> framesAtEvent = new ArrayList<>();
    List<String> calls = new ArrayList<>();
    Member m = Member.builder(scheduler, election, observed(calls)).virtualAddresses(List.of(vip)).listener(events::add)
        .listener(e -> {
          if (e instanceof MemberEvent.AddressAcquired) {
            framesAtEvent.add(kernel.frames().size());
          }
        }).build();
    m.start();
    settle();
    // That the take-over then sends the bytes prepare() encoded: VipOwnerTest.prepareEncodesTheTakeOverAhead...
    assertTrue(calls.contains("prepare") && !calls.contains("add"), "prepared while not master: " + calls);
    assertTrue(kernel.frames().isEmpty());
    election.become(Role.BACKUP, "start");
    election.become(Role.MASTER, "master-down timer expired");
    settle();
    // The listeners (which may log) hear of the VIP after its gratuitous ARP left, in the usual order.
    assertEquals(List.of(5), framesAtEvent);
    List<Class<?>> order = events.stream().map(Object::getClass)
        .filter(c -> c == MemberEvent.AddressAcquired.class || c == MemberEvent.AddressAnnounced.class).toList();
    assertEquals(List.of(MemberEvent.AddressAcquired.class, MemberEvent.AddressAnnounced.class), order);
    assertArrayEquals(ArpFrame.gratuitous(ArpFrame.GratuitousKind.REQUEST, MAC, (Inet4Address) vip.address()).toBytes(),
        kernel.frames().get(0).bytes());
  }

  @Test
  void onTheElectionsThreadATakeOverAnnouncesBeforeAnyListenerHearsOfIt() {
    // design.md: a hot standby's take-over is the VIP and its gratuitous ARP; the role change
    // reaches the listeners (a log line, a meter) after them, still first among the events.
    List<Integer> framesAtRoleChange = new ArrayList<>();
    Member m = member().listener(e -> {
      if (e instanceof MemberEvent.RoleChanged r && r.change().to() == Role.MASTER) {
        framesAtRoleChange.add(kernel.frames().size());
      }
    }).build();
    m.start();
    settle();
    election.become(Role.BACKUP, "start");
    settle();
    events.clear();
    // As an election calls its listeners: in a task of the shared scheduler.
    scheduler.execute(() -> {
      election.become(Role.MASTER, "master-down timer expired");
      assertTrue(kernel.has("eth0", vip.address()), "taken over within the listener's call");
    });
    settle();
    assertEquals(1, framesAtRoleChange.size());
    assertTrue(framesAtRoleChange.get(0) > 0, "the gratuitous ARP left before the role change was told");
    assertEquals(List.of(MemberEvent.RoleChanged.class, MemberEvent.AddressAcquired.class,
        MemberEvent.AddressAnnounced.class), events.stream().map(Object::getClass)
        .filter(c -> c != MemberEvent.TableReconciled.class).limit(3).toList());
  }

  @Test
  void aVipLeftByACrashedRunIsRemovedAtStartBeforeAnyElection() {
    // ha-vip issue: a VIP left behind by a crashed earlier run is removed before the node is master
    kernel.addExternally("eth0", vip.address(), 24);
    member().build().start();
    settle();
    assertFalse(kernel.has("eth0", vip.address()));
  }

  @Test
  void gracefulStopHandsOverAndReleasesTheVip() {
    Member m = member().build();
    m.start();
    settle();
    election.become(Role.MASTER, "owner");
    settle();
    m.stop();
    settle();
    assertTrue(election.stoppedGracefully, "the election sends its priority-0 advert");
    assertFalse(kernel.has("eth0", vip.address()));
  }

  @Test
  void aStopCompletesWhenTheEmbedderClosesTheSchedulerRightAfter() throws Exception {
    // issue 16 item 10: member.stop(); scheduler.close(); must still hand over and release the VIP
    SystemScheduler real = new SystemScheduler("member-close");
    VipOwner realOwner = VipOwner.builder(kernel, real).manage(vip).build();
    try {
      Member m = Member.builder(real, election, realOwner).virtualAddresses(List.of(vip)).build();
      m.start();
      drain(real);
      election.become(Role.BACKUP, "start");
      election.become(Role.MASTER, "master-down timer expired");
      drain(real);
      assertTrue(kernel.has("eth0", vip.address()), "master holds the VIP");

      m.stop();
      real.close();
      assertTrue(election.stoppedGracefully, "the election sent its priority-0 advert");
      assertFalse(kernel.has("eth0", vip.address()), "the VIP was released");
    } finally {
      real.close();
      realOwner.close();
    }
  }

  /** Waits until {@code s} has run what was queued on it before this call. */
  private static void drain(SystemScheduler s) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    s.execute(done::countDown);
    assertTrue(done.await(10, TimeUnit.SECONDS), "scheduler stuck");
  }

  @Test
  void aRestartedMemberHearsEachRoleChangeOnce() {
    // issue 16 item 10: start() after stop() must not register the member's listeners again
    Member m = member().build();
    m.start();
    settle();
    m.stop();
    settle();
    m.start();
    settle();
    events.clear();
    election.become(Role.BACKUP, "start");
    election.become(Role.MASTER, "master-down timer expired");
    settle();
    assertEquals(2, events.stream().filter(e -> e instanceof MemberEvent.RoleChanged).count(),
        events.toString());
    assertEquals(1, events.stream().filter(e -> e instanceof MemberEvent.AddressAcquired).count(),
        events.toString());
  }

  @Test
  void splitBrainReannounceResendsGratuitousArp() {
    // keepalived #14, #2459: after a split the master must refresh stale ARP caches
    Member m = member().build();
    m.start();
    settle();
    election.become(Role.MASTER, "owner");
    clock.advanceBy(Duration.ofSeconds(20));
    int before = kernel.frames().size();
    election.reannounce("heard lower-priority master n2");
    clock.advanceBy(Duration.ofSeconds(20));
    assertTrue(kernel.frames().size() > before, "a new burst went out");
  }

  @Test
  void aVipAddedAtRuntimeIsTakenAtOnceByTheMasterOnly() throws Exception {
    // keepalived's most requested missing feature: change VIPs without a reload
    Member m = member().build();
    m.start();
    settle();
    election.become(Role.MASTER, "owner");
    settle();
    m.addVirtualAddress(extra);
    settle();
    assertTrue(kernel.has("eth0", extra.address()));
    assertTrue(kernel.has("eth0", vip.address()), "the other VIP is not touched");
    m.removeVirtualAddress(extra);
    settle();
    assertFalse(kernel.has("eth0", extra.address()));
    assertTrue(kernel.has("eth0", vip.address()));
  }

  @Test
  void warmStandbyStartsTheApplicationBeforeTakingTheVipAndStopsItOnDemotion() {
    CompletableFuture<Void> started = new CompletableFuture<>();
    List<String> app = new ArrayList<>();
    Member m = member().standby(StandbyPolicy.warm(new ApplicationControl() {
      @Override
      public CompletableFuture<Void> start() {
        app.add("start");
        return started;
      }

      @Override
      public void stop() {
        app.add("stop");
      }
    }, Duration.ofSeconds(10))).build();
    m.start();
    settle();
    election.become(Role.MASTER, "owner");
    settle();
    assertEquals(List.of("start"), app);
    assertFalse(kernel.has("eth0", vip.address()), "no VIP before the application is up");
    started.complete(null);
    settle();
    assertTrue(kernel.has("eth0", vip.address()));
    election.become(Role.BACKUP, "higher priority 200 from n2");
    settle();
    assertEquals(List.of("start", "stop"), app);
    assertFalse(kernel.has("eth0", vip.address()));
  }

  @Test
  void warmStandbyTakesTheVipAnywayWhenTheApplicationIsSlow() {
    Member m = member().standby(StandbyPolicy.warm(new ApplicationControl() {
      @Override
      public CompletableFuture<Void> start() {
        return new CompletableFuture<>();
      }

      @Override
      public void stop() {}
    }, Duration.ofSeconds(3))).build();
    m.start();
    settle();
    election.become(Role.MASTER, "owner");
    clock.advanceBy(Duration.ofMillis(2999));
    assertFalse(kernel.has("eth0", vip.address()));
    clock.advanceBy(Duration.ofMillis(2));
    assertTrue(kernel.has("eth0", vip.address()), "a master with a cold application beats no master");
  }

  @Test
  void coldStandbyActivatesASpareOnceWhenTooFewMembersLive() {
    List<Integer> activations = new ArrayList<>();
    Member m = member().standby(StandbyPolicy.cold((live, min) -> activations.add(live), 2)).build();
    m.start();
    settle();
    election.become(Role.BACKUP, "start");
    election.liveMembers = 1;
    election.become(Role.MASTER, "master-down timer expired");
    election.become(Role.MASTER, "again");
    settle();
    assertEquals(List.of(1), activations);
  }

  @Test
  void linkEventsFromTheAddressOwnerBecomeTrackedInterfaceState() {
    // keepalived track_interface: an interface going down is a FAULT trigger for the election
    member().build().start();
    settle();
    election.become(Role.MASTER, "owner");
    settle();
    kernel.setLink("eth0", false);
    settle();
    assertEquals(Boolean.FALSE, election.tracked.get(Tracked.networkInterface("eth0")));
    kernel.setLink("eth0", true);
    settle();
    assertEquals(Boolean.TRUE, election.tracked.get(Tracked.networkInterface("eth0")));
  }
}
