package io.ha4j.it.core.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.election.Tracked;
import io.ha4j.core.member.Member;
import io.ha4j.core.member.MemberBuilder;
import io.ha4j.core.member.MemberEvent;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.linux.Errno;
import io.ha4j.testkit.vip.FakeAddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.MacAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * issue 16 item 1: a master that cannot add its VIP (ENOMEM, the interface deleted and re-created,
 * no answer) retries, and past the hold bound reports the address down so that the election goes to
 * FAULT and hands over; a failed or ambiguous add and a failed release do not leave the VIP behind.
 * On the real VIP owner over the byte-level fake kernel, in virtual time.
 */
class AddressHoldTest {

  private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
  private final VirtualClock clock = new VirtualClock();
  private final VirtualScheduler scheduler = clock.newScheduler("member");
  private final FakeAddressKernel kernel = new FakeAddressKernel();
  private final ScriptedElection election = new ScriptedElection();
  private final List<MemberEvent> events = new ArrayList<>();
  private VirtualAddress vip;
  private Tracked held;
  private VipOwner owner;

  @BeforeEach
  void setUp() throws Exception {
    kernel.addInterface("eth0", MAC);
    vip = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
    held = Tracked.heldAddress(vip.toString());
    owner = VipOwner.builder(kernel, scheduler).manage(vip).build();
  }

  @AfterEach
  void tearDown() {
    owner.close();
  }

  private Member master() {
    return master(() -> { });
  }

  /** A started member that runs {@code beforeTakeOver} as a backup, then becomes master. */
  private Member master(Runnable beforeTakeOver) {
    Member m = Member.builder(scheduler, election, owner).virtualAddresses(List.of(vip)).listener(events::add).build();
    m.start();
    advance(1);
    election.become(Role.BACKUP, "start");
    advance(1);
    beforeTakeOver.run();
    election.become(Role.MASTER, "master-down timer expired");
    advance(1);
    return m;
  }

  private void advance(long millis) {
    clock.advanceBy(Duration.ofMillis(millis));
  }

  private boolean hasVip() {
    return kernel.has("eth0", vip.address());
  }

  @Test
  void anAddRefusedAtTakeOverIsRetriedUntilTheKernelTakesIt() {
    master(() -> kernel.failAdds(Errno.ENOMEM.number()));
    assertFalse(hasVip());
    advance(50);
    kernel.failAdds(0);
    advance(100);
    assertTrue(hasVip(), "the add is retried with backoff");
    assertNull(election.tracked.get(held), "held within the bound: no fault");
  }

  @Test
  void aVipThatCannotBeHeldWithinTheBoundPutsTheElectionInFaultUntilTheHoldOffIsOver() {
    master(() -> kernel.failAdds(Errno.ENOMEM.number()));
    Duration bound = MemberBuilder.DEFAULT_ADDRESS_HOLD_BOUND;
    advance(bound.toMillis() - 10);
    assertNull(election.tracked.get(held), "not before the bound");
    advance(20);
    assertEquals(Boolean.FALSE, election.tracked.get(held), "a master without its VIP goes to FAULT");
    election.become(Role.FAULT, "a weight-0 tracked object is down");
    advance(1);
    kernel.failAdds(0);
    advance(2_000);
    assertEquals(Boolean.TRUE, election.tracked.get(held), "the fault ends after the hold-off");
    assertFalse(hasVip(), "in FAULT the VIP is not taken");
  }

  @Test
  void theVipIsBackWhenItsInterfaceIsDeletedAndRecreatedUnderTheMaster() {
    master();
    assertTrue(hasVip());
    kernel.deleteInterface("eth0");
    advance(20);
    assertFalse(hasVip());
    kernel.addInterface("eth0", MacAddress.parse("02:00:00:00:00:09"));
    advance(20);
    assertTrue(hasVip(), "put back on the re-created interface");
    assertNull(election.tracked.get(held));
  }

  @Test
  void aVipAddedWithoutAnAnswerIsReleasedAtDemotion() {
    // The add is carried out but its answer is lost, and so is the dump that would tell.
    master(() -> kernel.loseReplies(2));
    assertTrue(hasVip(), "the kernel holds it though the owner could not tell");
    election.become(Role.BACKUP, "higher priority master");
    advance(1);
    assertFalse(hasVip(), "the demotion releases a VIP whose add got no answer");
  }

  @Test
  void aFailedReleaseIsRetried() {
    master();
    assertTrue(hasVip());
    kernel.failNextRequest(Errno.ENOMEM.number());
    election.become(Role.BACKUP, "higher priority master");
    advance(1);
    assertTrue(hasVip(), "the first release failed");
    advance(50);
    assertFalse(hasVip(), "the release is retried");
    assertNotEquals(Boolean.FALSE, election.tracked.get(held));
  }

  @Test
  void aTrackedInterfaceThatIsDownAtStartIsReportedBeforeTheElectionStarts() {
    kernel.setLink("eth0", false);
    Member m = Member.builder(scheduler, election, owner).virtualAddresses(List.of(vip)).build();
    m.start();
    advance(1);
    assertTrue(election.started);
    assertEquals(Boolean.FALSE, election.tracked.get(Tracked.networkInterface("eth0")));
  }
}
