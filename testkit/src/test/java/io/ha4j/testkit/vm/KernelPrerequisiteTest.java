package io.ha4j.testkit.vm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.testkit.junit.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

// Expectation source: the project's rule (helper brief, "Tests"): a test that cannot run is
// skipped with the reason, except under CI=true, where it fails; inside the ip_vs VM it always
// fails. ip_vs creates /proc/net/ip_vs in every namespace once loaded (ip_vs_app.c, ip_vs_ctl.c).
class KernelPrerequisiteTest {

  @TempDir Path dir;

  @Test
  void readyWhenIpVsIsLoadedAndNamespacesWork() throws IOException {
    Path ipVs = Files.writeString(dir.resolve("ip_vs"), "IP Virtual Server version 1.2.1\n");
    assertNull(KernelPrerequisite.missing(ipVs, null));
  }

  @Test
  void aMissingIpVsNamesTheFileAndTheRunningKernel() {
    String missing = KernelPrerequisite.missing(dir.resolve("ip_vs"), null);
    assertEquals(
        dir.resolve("ip_vs")
            + " missing: ip_vs is not loaded in this kernel ("
            + System.getProperty("os.version")
            + "), so this is not the ip_vs VM",
        missing);
  }

  @Test
  void withIpVsTheNamespacePrerequisiteDecides() throws IOException {
    Path ipVs = Files.writeString(dir.resolve("ip_vs"), "");
    assertEquals("no CAP_NET_ADMIN", KernelPrerequisite.missing(ipVs, "no CAP_NET_ADMIN"));
  }

  @Test
  void nothingMissingPassesEvenInsideTheVm() {
    assertDoesNotThrow(() -> KernelPrerequisite.check(null, Map.of("HA4J_KERNEL_VM", "1")));
  }

  @Test
  void insideTheVmAMissingPieceIsAFailure() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> KernelPrerequisite.check("/proc/net/ip_vs missing", Map.of("HA4J_KERNEL_VM", "1")));
    assertEquals(
        "kernel test cannot run inside the ip_vs VM (HA4J_KERNEL_VM=1): /proc/net/ip_vs missing;"
            + " the VM harness (testkit/vm) is broken, this is a failure, not a skip",
        e.getMessage());
  }

  @Test
  void outsideTheVmTheSharedPolicyDecidesAndTellsHowToRun() {
    // Prerequisites reads CI from this JVM's environment: a skip here, a failure in CI.
    Class<? extends RuntimeException> expected =
        Prerequisites.inCi() ? IllegalStateException.class : TestAbortedException.class;
    RuntimeException e =
        assertThrows(expected, () -> KernelPrerequisite.check("/proc/net/ip_vs missing", Map.of()));
    assertTrue(
        e.getMessage()
            .startsWith(
                "kernel test cannot run: /proc/net/ip_vs missing (run testkit/vm/run-kernel-tests.sh)"),
        e.getMessage());
  }
}
