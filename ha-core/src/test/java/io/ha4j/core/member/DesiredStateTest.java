package io.ha4j.core.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.VirtualService;
import io.ha4j.api.reconcile.DesiredService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The runtime edits of a member's desired state (design.md, runtime API: services, real servers
 * and VIPs change while running, without a reload that drops state).
 */
class DesiredStateTest {

  private final ServiceKey web = ServiceKey.of(Protocol.TCP, address("192.0.2.10"), 80);
  private final RealServer rs1 = RealServer.of(address("203.0.113.1"), 80);
  private final RealServer rs2 = RealServer.of(address("203.0.113.2"), 80);
  private final RealServer rs3 = RealServer.of(address("203.0.113.3"), 80);

  private DesiredState state() {
    return new DesiredState(Set.of(), List.of(DesiredService.of(VirtualService.of(web, "wlc"), List.of(rs1, rs2))));
  }

  @Test
  void aRealServerPutAgainIsReplacedInPlaceAndANewOneAppended() {
    // ipvsadm -e edits a destination where it is; -a adds one after the others
    DesiredState d = state();
    d.putRealServer(web, rs1.withWeight(5));
    d.putRealServer(web, rs3);
    assertEquals(List.of(rs1.withWeight(5), rs2, rs3), d.services().get(0).realServers());
    d.removeRealServer(web, rs2.endpoint());
    assertEquals(List.of(rs1.withWeight(5), rs3), d.services().get(0).realServers());
    assertEquals("wlc", d.services().get(0).service().scheduler(), "the rest of the service is kept");
  }

  @Test
  void editsOfAServiceThatIsNotManagedAreRejected() {
    DesiredState d = state();
    ServiceKey other = ServiceKey.of(Protocol.UDP, address("192.0.2.10"), 53);
    assertThrows(IllegalArgumentException.class, () -> d.putRealServer(other, rs1));
    assertThrows(IllegalArgumentException.class, () -> d.removeRealServer(other, rs1.endpoint()));
    d.removeService(web);
    assertTrue(d.services().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> d.putRealServer(web, rs1));
  }

  @Test
  void aServiceConfiguredTwiceIsAnError() {
    DesiredService s = DesiredService.of(VirtualService.of(web, "wlc"), List.of(rs1));
    assertThrows(IllegalArgumentException.class, () -> new DesiredState(Set.of(), List.of(s, s)));
  }

  @Test
  void virtualAddressesKeepTheirOrderAndTheViewFollowsTheEdits() throws Exception {
    VirtualAddress a = VirtualAddress.of(InetAddress.getByName("192.0.2.20"), 24, "eth0");
    VirtualAddress b = VirtualAddress.of(InetAddress.getByName("192.0.2.21"), 24, "eth0");
    DesiredState d = new DesiredState(new LinkedHashSet<>(List.of(b)), List.of());
    Set<VirtualAddress> view = d.virtualAddresses();
    assertTrue(d.addVirtualAddress(a));
    assertFalse(d.addVirtualAddress(a), "already there");
    assertEquals(List.of(b, a), List.copyOf(view));
    assertTrue(d.removeVirtualAddress(b));
    assertFalse(d.hasVirtualAddress(b));
    assertEquals(List.of(a), List.copyOf(view));
    assertThrows(UnsupportedOperationException.class, () -> view.add(b));
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
