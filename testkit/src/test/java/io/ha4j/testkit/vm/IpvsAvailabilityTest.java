package io.ha4j.testkit.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Expectation source: proc(5) (/proc/[pid]/status CapEff is a hex mask) and linux/capability.h
// (CAP_NET_ADMIN = 12); ip_vs creates /proc/net/ip_vs in every namespace once loaded.
class IpvsAvailabilityTest {

  @TempDir Path dir;

  private Path status(String capEff) throws IOException {
    return Files.writeString(
        dir.resolve("status"), "Name:\tjava\nCapPrm:\t000001ffffffffff\nCapEff:\t" + capEff + "\n");
  }

  private Path ipVs() throws IOException {
    return Files.writeString(dir.resolve("ip_vs"), "IP Virtual Server version 1.2.1\n");
  }

  @Test
  void availableWithIpVsAndNetAdmin() throws IOException {
    assertNull(IpvsAvailability.cause(ipVs(), status("0000000000001000")));
  }

  @Test
  void rootHasEverything() throws IOException {
    assertNull(IpvsAvailability.cause(ipVs(), status("000001ffffffffff")));
  }

  @Test
  void missingProcEntryNamesTheFixAndTheKernel() throws IOException {
    String cause = IpvsAvailability.cause(dir.resolve("absent"), status("000001ffffffffff"));
    assertTrue(cause != null && cause.startsWith(dir.resolve("absent") + " missing: "), cause);
    assertTrue(cause.contains(System.getProperty("os.version")), cause);
    assertTrue(cause.endsWith("run testkit/vm/run-kernel-tests.sh"), cause);
  }

  @Test
  void withoutNetAdminTheMaskIsQuoted() throws IOException {
    // every bit but 12
    assertEquals(
        "no CAP_NET_ADMIN (CapEff=000001ffffffefff): IPVS changes need root or that capability",
        IpvsAvailability.cause(ipVs(), status("000001ffffffefff")));
  }

  @Test
  void statusWithoutCapEffIsReported() throws IOException {
    Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\n");
    String cause = IpvsAvailability.cause(ipVs(), status);
    assertTrue(cause != null && cause.startsWith("no CapEff line in "), cause);
  }
}
