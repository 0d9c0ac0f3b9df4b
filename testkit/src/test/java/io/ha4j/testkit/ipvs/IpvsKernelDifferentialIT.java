package io.ha4j.testkit.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.Ipvs;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsException;
import io.ha4j.testkit.junit.Prerequisites;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The differential test that makes the fake trustworthy: the same random op sequences go to the real
 * ip_vs (in a network namespace this test creates) and to {@link FakeIpvsKernel}; both must answer
 * every op with the same errno and end with the same table. Needs root and ip_vs: runs in the
 * kernel VM ({@code @Tag("kernel")}); elsewhere it is skipped with the reason, or fails when CI=true.
 */
@Tag("kernel")
class IpvsKernelDifferentialIT {

  static String netns;
  static IpvsClient kernel;

  @BeforeAll
  static void openNamespace() throws Exception {
    Throwable cause = Ipvs.unavailabilityCause();
    Prerequisites.check("IPVS kernel test", cause == null ? null : cause.getMessage(),
        "run inside the ip_vs kernel VM as root");
    netns = "ipvsdiff" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    ip("netns", "add", netns);
    kernel = IpvsClient.open(netns);
  }

  @AfterAll
  static void removeNamespace() throws Exception {
    if (kernel != null) {
      kernel.close();
    }
    if (netns != null) {
      ip("netns", "delete", netns);
    }
  }

  static void ip(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroy();
      throw new IOException(cmd + " failed");
    }
  }

  static List<Integer> errnos(ApplyResult r, int size) {
    List<Integer> out = new ArrayList<>(Collections.nCopies(size, 0));
    for (ApplyResult.Failure f : r.failures()) {
      out.set(f.index(), ((IpvsException) f.error()).errno());
    }
    return out;
  }

  @Test
  void fakeAnswersAsTheKernelDoes() {
    // Samples of the model test's generator; a failure prints the whole sequence to replay.
    IpvsTableProperties.opSequences(60).sampleStream().limit(40).forEach(IpvsKernelDifferentialIT::compare);
  }

  static void compare(List<TableOp> ops) {
    kernel.flush();
    FakeIpvsKernel fakeKernel = new FakeIpvsKernel();
    try (IpvsClient fake = new IpvsClient(fakeKernel, () -> 0L, Duration.ofSeconds(1))) {
      List<Integer> real = errnos(kernel.apply(ops), ops.size());
      List<Integer> faked = errnos(fake.apply(ops), ops.size());
      assertEquals(real, faked, () -> "errno per op for " + ops);
      assertEquals(IpvsTableProperties.table(kernel.read()), IpvsTableProperties.table(fake.read()));
    } finally {
      kernel.flush();
    }
  }
}
