package io.ha4j.core.member;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressOwner;
import io.ha4j.api.election.Election;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import io.ha4j.api.election.Tracked;
import io.ha4j.core.time.VirtualScheduler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A member built through the public API alone around a throwaway election and address owner, on
 * virtual time: what a warm-up runs, round after round, to get the take-over's code linked and
 * compiled before a real take-over needs it. Nothing outside its arguments may notice it.
 */
class ThrowawayMemberTest {

  private static final VirtualAddress VIP1 = vip("192.0.2.10");
  private static final VirtualAddress VIP2 = vip("192.0.2.11");

  @Test
  void aThrowawayMemberTakesOverAndStepsDownOnVirtualTimeRoundAfterRound() {
    // design.md, take-over order: inside the election's listener call (same scheduler) the VIPs
    // are added and announced; the listeners hear of it after, in the order it happened.
    for (int round = 0; round < 3; round++) {
      VirtualScheduler s = VirtualScheduler.create();
      StandInElection election = new StandInElection(s);
      StandInOwner owner = new StandInOwner();
      List<String> events = new ArrayList<>();
      Member m = Member.builder(s, election, owner).virtualAddresses(List.of(VIP1, VIP2))
          .listener(e -> events.add(e.getClass().getSimpleName())).build();
      m.start();
      s.clock().runDue();
      // Left-overs of an earlier run released, then the next take-over prepared.
      assertEquals(List.of("remove " + VIP1, "remove " + VIP2, "prepare"), owner.calls, "round " + round);
      assertEquals(Role.BACKUP, election.role());
      assertEquals(List.of("RoleChanged"), events);
      events.clear();

      List<String> heardDuringTakeOver = new ArrayList<>();
      s.execute(() -> {
        election.become(Role.MASTER, "master-down timer expired", OptionalLong.of(s.clock().nanoTime()));
        heardDuringTakeOver.addAll(events);
      });
      s.clock().runDue();
      assertEquals(List.of("add " + VIP1, "announce " + VIP1, "add " + VIP2, "announce " + VIP2),
          owner.calls.subList(3, 7), "taken over within the listener's call");
      assertEquals(List.of(), heardDuringTakeOver, "held back until the take-over is out");
      // The gap without a master (it was lost when the take-over began) ends with the VIPs up.
      assertEquals(List.of("RoleChanged", "AddressAcquired", "AddressAnnounced", "AddressAcquired",
          "AddressAnnounced", "MasterRegained"), events);
      assertEquals(Role.MASTER, m.role());

      election.become(Role.BACKUP, "higher priority 200 from n2", OptionalLong.empty());
      s.clock().runDue();
      m.stop();
      s.clock().runDue();
      assertEquals(List.of("remove " + VIP1, "remove " + VIP2), owner.calls.subList(7, 9));
      assertEquals(9, owner.calls.size(), owner.calls.toString());
      assertEquals(Role.INIT, m.role());
      assertEquals(Role.INIT, election.role());
      assertEquals(0, s.clock().pendingTasks(), "nothing left behind on the throwaway scheduler");
    }
  }

  private static VirtualAddress vip(String address) {
    try {
      return VirtualAddress.of(InetAddress.getByName(address), 24, "eth0");
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Roles on demand, its listeners called at once (as an election on the member's scheduler). */
  private static final class StandInElection implements Election {
    private final VirtualScheduler scheduler;
    private final List<ElectionListener> listeners = new ArrayList<>();
    private Role role = Role.INIT;

    StandInElection(VirtualScheduler scheduler) {
      this.scheduler = scheduler;
    }

    void become(Role to, String reason, OptionalLong lostMasterHeardAt) {
      RoleChange change = new RoleChange(role, to, reason, scheduler.clock().nanoTime(), lostMasterHeardAt);
      role = to;
      for (ElectionListener l : listeners) {
        l.onRoleChange(change);
      }
    }

    @Override
    public NodeId nodeId() {
      return NodeId.of("throwaway");
    }

    @Override
    public void start() {
      become(Role.BACKUP, "started", OptionalLong.empty());
    }

    @Override
    public void stop() {
      if (role != Role.INIT) {
        become(Role.INIT, "stopped", OptionalLong.empty());
      }
    }

    @Override
    public Role role() {
      return role;
    }

    @Override
    public int effectivePriority() {
      return role == Role.FAULT ? 0 : 100;
    }

    @Override
    public boolean setTracked(Tracked object, boolean up) {
      return false;
    }

    @Override
    public void addListener(ElectionListener listener) {
      listeners.add(listener);
    }

    @Override
    public void close() {
      stop();
    }
  }

  /** Records what it is asked to do and touches nothing. */
  private static final class StandInOwner implements AddressOwner {
    final List<String> calls = new ArrayList<>();

    @Override
    public void prepare() {
      calls.add("prepare");
    }

    @Override
    public void add(VirtualAddress address) {
      calls.add("add " + address);
    }

    @Override
    public void remove(VirtualAddress address) {
      calls.add("remove " + address);
    }

    @Override
    public List<VirtualAddress> list() {
      return List.of();
    }

    @Override
    public void announce(VirtualAddress address) {
      calls.add("announce " + address);
    }

    @Override
    public void close() {}
  }
}
