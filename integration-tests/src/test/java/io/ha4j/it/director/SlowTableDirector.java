package io.ha4j.it.director;

import io.ha4j.api.Clock;
import io.ha4j.director.DirectorMain;
import io.ha4j.it.core.member.SlowTable;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The director over the testkit's fake IPVS kernel (this host has no ip_vs), every full read of
 * its table taking {@code STALL_MS} as a netlink reply that waits would: {@code SlowTableDirector
 * STALL_MS CONFIG}. Prints a line per read, for the test to count the reconcile passes.
 */
public final class SlowTableDirector {

  private SlowTableDirector() {}

  /** The line printed before each read. */
  static final String READ = "[slow table] read ";

  public static void main(String[] args) throws InterruptedException {
    AtomicInteger reads = new AtomicInteger();
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    Duration stall = Duration.ofMillis(Long.parseLong(args[0]));
    SlowTable table = new SlowTable(new IpvsClient(new FakeIpvsKernel(), Clock.system(), Duration.ofSeconds(5)), () -> {
      System.out.println(READ + reads.incrementAndGet());
      try {
        Thread.sleep(stall.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    int code = DirectorMain.run(new String[] {"--no-warm-up", args[1]}, System.err, () -> table);
    if (code != DirectorMain.RUNNING) {
      System.exit(code);
    }
    new CountDownLatch(1).await();
  }
}
