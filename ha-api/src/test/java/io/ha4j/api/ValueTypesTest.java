package io.ha4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void weightOutsideKernelRangeNamesFieldAndValue() throws Exception {
    // ip_vs.h: IPVS_DEST_ATTR_WEIGHT is a u32 but ipvsadm limits it to 0..65535
    var e = assertThrows(IllegalArgumentException.class, () -> RealServer.of(ip("198.51.100.10"), 80).withWeight(70000));
    assertTrue(e.getMessage().contains("weight") && e.getMessage().contains("70000"), e.getMessage());
  }

  @Test
  void netmaskIsCheckedAgainstFamily() throws Exception {
    var key = ServiceKey.of(Protocol.TCP, ip("2001:db8::1"), 80);
    assertEquals(128, VirtualService.of(key, "rr").persistenceNetmask());
    var e = assertThrows(IllegalArgumentException.class, () -> VirtualService.of(key, "rr").withPersistence(300, 129));
    assertTrue(e.getMessage().contains("persistenceNetmask"), e.getMessage());
  }

  @Test
  void schedulerNameLongerThanKernelLimitIsRejected() throws Exception {
    // ip_vs.h: IP_VS_SCHEDNAME_MAXLEN 16 including the NUL
    var key = ServiceKey.of(Protocol.UDP, ip("198.51.100.1"), 53);
    assertThrows(IllegalArgumentException.class, () -> VirtualService.of(key, "a-very-long-scheduler"));
  }

  @Test
  void portZeroNeedsPersistence() throws Exception {
    // ipvsadm(8): "a port of 0 ... only valid if the service is persistent"
    var key = ServiceKey.of(Protocol.TCP, ip("198.51.100.1"), 0);
    assertThrows(IllegalArgumentException.class, () -> VirtualService.of(key, "rr"));
    assertTrue(new VirtualService(key, "rr", java.util.Set.of(), 300, 32, null).persistent());
  }

  @Test
  void ipv4LabelMustStartWithInterfaceName() throws Exception {
    // the kernel rejects an IFA_LABEL that does not start with the device name
    assertThrows(IllegalArgumentException.class, () -> new VirtualAddress(ip("198.51.100.100"), 24, "eth0", "vip0"));
    assertEquals("eth0:vip", new VirtualAddress(ip("198.51.100.100"), 24, "eth0", "eth0:vip").label());
  }

  @Test
  void nodeIdIsBoundedAndOrdered() {
    assertThrows(IllegalArgumentException.class, () -> NodeId.of(""));
    assertThrows(IllegalArgumentException.class, () -> NodeId.of("x".repeat(65)));
    assertTrue(NodeId.of("n2").compareTo(NodeId.of("n1")) > 0);
  }
}
