package io.ha4j.it.core.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.core.member.Member;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.testkit.vip.FakeAddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.MacAddress;
import java.io.File;
import java.net.InetAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: on a class path without it, a member (with its election, VIP owner and
 * health engine) still runs, and only the metrics packages fail to load.
 */
class WithoutMicrometerTest {

  /** Runs a member through MASTER and back; loaded by the class loader without Micrometer. */
  public static final class Run implements Callable<String> {
    @Override
    public String call() throws Exception {
      VirtualClock clock = new VirtualClock();
      VirtualScheduler scheduler = clock.newScheduler("member");
      FakeAddressKernel kernel = new FakeAddressKernel();
      kernel.addInterface("eth0", MacAddress.parse("02:00:00:00:00:01"));
      VirtualAddress vip = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
      ScriptedElection election = new ScriptedElection();
      try (VipOwner owner = VipOwner.builder(kernel, scheduler).manage(vip).build();
          var health = new io.ha4j.core.health.HealthEngine(scheduler)) {
        Member m = Member.builder(scheduler, election, owner).virtualAddresses(List.of(vip)).build();
        m.start();
        clock.advanceBy(Duration.ofMillis(1));
        election.become(Role.MASTER, "owner");
        clock.advanceBy(Duration.ofSeconds(1));
        String seen = m.role() + " " + kernel.has("eth0", vip.address()) + " " + health.checksRun();
        m.stop();
        clock.advanceBy(Duration.ofSeconds(1));
        return seen + " " + m.availability().failovers();
      }
    }
  }

  private static URLClassLoader withoutMicrometer() throws Exception {
    List<URL> urls = new ArrayList<>();
    boolean removed = false;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      // micrometer-core and what it brings: micrometer-commons, -observation, HdrHistogram.
      if (entry.contains("micrometer") || entry.contains("HdrHistogram") || entry.contains("LatencyUtils")) {
        removed = true;
      } else if (!entry.isEmpty()) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    assertTrue(removed, "the test class path has Micrometer to leave out: " + System.getProperty("java.class.path"));
    return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  @Test
  void aMemberRunsWithoutMicrometerOnTheClassPath() throws Exception {
    try (URLClassLoader loader = withoutMicrometer()) {
      Class<?> run = Class.forName(Run.class.getName(), true, loader);
      assertEquals(loader, run.getClassLoader(), "the run is isolated from this test's class loader");
      @SuppressWarnings("unchecked")
      Callable<String> call = (Callable<String>) run.getDeclaredConstructor().newInstance();
      assertEquals("MASTER true 0 0", call.call());
      // The same loader cannot load a binder: Micrometer really is missing there.
      assertThrows(NoClassDefFoundError.class,
          () -> Class.forName("io.ha4j.core.metrics.MemberMetrics", true, loader));
      assertThrows(NoClassDefFoundError.class,
          () -> Class.forName("io.ha4j.heartbeat.metrics.HeartbeatMetrics", true, loader));
    }
  }
}
