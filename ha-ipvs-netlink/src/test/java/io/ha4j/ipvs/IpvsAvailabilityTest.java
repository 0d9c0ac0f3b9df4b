package io.ha4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Availability in Netty's Epoll style; CAP_NET_ADMIN is bit 12 of CapEff (linux/capability.h, proc(5)). */
class IpvsAvailabilityTest {

  @Test
  void capabilityFromProcStatus(@TempDir Path dir) throws Exception {
    Path withCap = dir.resolve("with");
    Files.writeString(withCap, "Name:\tjava\nCapEff:\t0000000000001000\n");
    assertNull(Ipvs.capabilityCause(withCap));
    Path without = dir.resolve("without");
    Files.writeString(without, "Name:\tjava\nCapEff:\t0000000000000000\n");
    Throwable cause = Ipvs.capabilityCause(without);
    assertNotNull(cause);
    assertTrue(cause.getMessage().contains("no CAP_NET_ADMIN"), cause.getMessage());
    assertNotNull(Ipvs.capabilityCause(dir.resolve("missing")));
  }

  @Test
  void causeIsOneOfTheKnownReasonsAndEnsureThrowsIt() {
    Throwable cause = Ipvs.unavailabilityCause();
    assertEquals(cause == null, Ipvs.isAvailable());
    if (cause != null) {
      String m = String.valueOf(cause.getMessage());
      assertTrue(m.contains("not Linux") || m.contains("JNA") || m.contains("CAP_NET_ADMIN")
          || m.contains("ip_vs module not loaded") || m.contains("disabled"), m);
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, Ipvs::ensureAvailability);
      assertTrue(e.getMessage().contains(m), e.getMessage());
    }
  }
}
