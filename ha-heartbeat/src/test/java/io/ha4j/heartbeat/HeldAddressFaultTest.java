package io.ha4j.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import io.ha4j.api.election.Tracked;
import org.junit.jupiter.api.Test;

/**
 * issue 16 item 1: a member that cannot hold its virtual address reports it down, and the election
 * goes to FAULT without any configuration, a master handing over with priority 0.
 */
class HeldAddressFaultTest {

  private static final Tracked VIP = Tracked.heldAddress("198.51.100.100/24 dev eth0");

  @Test
  void aHeldAddressThatIsDownPutsAMasterInFaultWithAPriorityZeroAdvertisement() {
    ElectionFixture f = new ElectionFixture(100).started();
    f.advance(f.masterDownInterval());
    assertEquals(Role.MASTER, f.role());
    assertTrue(f.election.setTracked(VIP, false), "a held address is tracked without being configured");
    assertEquals(Role.FAULT, f.role());
    assertEquals(0, f.lastSent().priority());
    assertEquals(Role.FAULT, f.lastSent().state());
    f.election.setTracked(VIP, true);
    assertEquals(Role.BACKUP, f.role(), "the fault ends when the address can be held again");
  }
}
