package io.ha4j.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.VirtualAddress;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.vip.VipOwner;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A VIP owner over the warm-up's kernel that changes nothing, through the owner's public API only:
 * what a throwaway owner needs to run a take-over and give it back with no interface, address or
 * frame touched.
 */
class OwnerOverAnAckingKernelTest {

  @Test
  void takesOverAndGivesBackOverAKernelThatAcksEveryRequestAndDropsEveryFrame() throws Exception {
    VirtualAddress v4 = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
    VirtualAddress v6 = VirtualAddress.of(InetAddress.getByName("2001:db8::100"), 64, "eth0");
    for (int round = 0; round < 2; round++) { // nothing is kept from one owner to the next
      VirtualScheduler scheduler = VirtualScheduler.create();
      AckingAddressKernel kernel = new AckingAddressKernel();
      VipOwner owner = VipOwner.builder(kernel, scheduler).build();
      owner.manage(v4);
      owner.manage(v6);
      owner.prepare();
      assertEquals(1, kernel.lookups(), "eth0 looked up once, by prepare()");
      for (VirtualAddress v : List.of(v4, v6)) {
        owner.add(v);
        owner.announce(v);
      }
      assertEquals(2 * 5, kernel.frames(), "keepalived's first burst of 5, per VIP");
      scheduler.clock().advanceBy(Duration.ofSeconds(5));
      assertEquals(2 * 10, kernel.frames(), "and its second after garp_master_delay");
      owner.remove(v4);
      owner.remove(v6);
      assertTrue(owner.owned().isEmpty());
      owner.close();
      scheduler.clock().advanceBy(Duration.ofMinutes(5));
      assertEquals(2 * 10, kernel.frames(), "nothing is left scheduled");
      assertEquals(1, kernel.lookups(), "the take-over used the prepared interface");
      assertEquals(4, kernel.changes(), "two RTM_NEWADDR, two RTM_DELADDR");
      assertEquals(2 * 10, owner.framesSent());
      assertTrue(kernel.closed());
    }
  }
}
