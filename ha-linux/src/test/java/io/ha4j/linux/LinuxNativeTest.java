package io.ha4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Availability in Netty's Epoll style: one cause, worked out once. */
class LinuxNativeTest {

  @Test
  void availableOnLinuxWithA64BitJvmElseACauseThatSaysWhy() {
    Throwable cause = LinuxNative.unavailabilityCause();
    assertEquals(cause == null, LinuxNative.isAvailable());
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    boolean lp64 = "64".equals(System.getProperty("sun.arch.data.model"));
    if (linux && lp64) {
      // JNA is on this module's path; only a broken install would fail here.
      assertNull(cause, () -> "unavailable: " + cause);
    } else {
      String m = String.valueOf(cause == null ? null : cause.getMessage());
      assertTrue(m.contains("not Linux") || m.contains("JNA") || m.contains("LP64"), m);
    }
  }
}
