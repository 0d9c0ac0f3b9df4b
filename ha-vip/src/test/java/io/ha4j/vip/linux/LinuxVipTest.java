package io.ha4j.vip.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Capability bits from linux/capability.h: CAP_NET_ADMIN = 12, CAP_NET_RAW = 13. */
class LinuxVipTest {

  private static List<String> status(String capEff) {
    return List.of("Name:\tjava", "CapInh:\t0000000000000000", "CapEff:\t" + capEff, "CapBnd:\t000001ffffffffff");
  }

  @Test
  void bothCapabilitiesPresentIsNothingMissing() {
    assertEquals("", LinuxVip.missingCapabilities(status("0000000000003000")));
    assertEquals("", LinuxVip.missingCapabilities(status("000001ffffffffff")));
  }

  @Test
  void missingCapabilitiesAreNamed() {
    assertEquals("CAP_NET_RAW", LinuxVip.missingCapabilities(status("0000000000001000")));
    assertEquals("CAP_NET_ADMIN", LinuxVip.missingCapabilities(status("0000000000002000")));
    assertEquals("CAP_NET_ADMIN and CAP_NET_RAW", LinuxVip.missingCapabilities(status("0000000000000000")));
  }

  @Test
  void statusWithoutCapEffIsReported() {
    assertEquals("CapEff line", LinuxVip.missingCapabilities(List.of("Name:\tjava")));
  }
}
