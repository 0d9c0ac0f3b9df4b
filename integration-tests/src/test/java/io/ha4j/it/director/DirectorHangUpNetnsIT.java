package io.ha4j.it.director;

import static io.ha4j.it.director.DirectorHosts.ADVERT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.testkit.netns.NetnsTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 15: SIGHUP (an operator's {@code systemctl reload}, or {@code kill -HUP} out of
 * keepalived habit) used to stop the director: the JVM's handler ran the stop hook, which hands the
 * VIP over. Now a master started by its launcher (ha-director/bin/director) logs the signal and
 * stays master with its VIP, and the peer never takes over; SIGTERM still hands over afterwards.
 */
@NetnsTest
class DirectorHangUpNetnsIT {

  /** Watched after the signals: many master-down intervals (RFC 5798 6.4.2) of the backup. */
  static final Duration WATCH = Duration.ofSeconds(3);

  @Test
  void sighupLeavesTheMasterMasterWithItsVip(@TempDir Path dir) throws Exception {
    try (DirectorHosts d = DirectorHosts.bridge("dhup", 2, dir)) {
      Path c1 = d.config(1, 2, "director-1", 150, "");
      Path c2 = d.config(2, 1, "director-2", 100, "");
      Process d1 = d.startWithLauncher(1, c1);
      Process d2 = d.start(2, c2);
      d.await("n1 owns the VIP, n2 does not", Duration.ofSeconds(30), () -> d.hasVip(1) && !d.hasVip(2));
      d.await("n2 is backup", Duration.ofSeconds(10), () -> d.contains(d.log(2), "-> BACKUP"));
      Thread.sleep(5 * ADVERT.toMillis());
      // Under load both may have been master at the start, before hearing each other: only what follows the signals counts.
      int n2Before = d.read(d.log(2)).length();

      DirectorHosts.kill("HUP", d1);
      Thread.sleep(ADVERT.toMillis() * 5);
      assertTrue(d1.isAlive(), "the first SIGHUP stopped the director\n" + d.logs());
      DirectorHosts.kill("HUP", d1);
      int samples = 0;
      int n1Held = 0;
      int n2Held = 0;
      long end = System.nanoTime() + WATCH.toNanos();
      while (System.nanoTime() - end < 0) {
        samples++;
        n1Held += d.hasVip(1) ? 1 : 0;
        n2Held += d.hasVip(2) ? 1 : 0;
        Thread.sleep(10);
      }
      Duration mdi = VrrpElection.masterDownInterval(100, ADVERT);
      long logged = d.read(d.log(1)).lines().filter(l -> l.contains("SIGHUP ignored")).count();
      System.out.printf("[director netns] 2 x SIGHUP to master n1 (pid %d, launcher): alive %s, VIP on n1 in %d of %d "
          + "samples over %d ms (%d master-down intervals of n2), on n2 in %d; SIGHUP logged %d times%n",
          d1.pid(), d1.isAlive(), n1Held, samples, WATCH.toMillis(), WATCH.toMillis() / mdi.toMillis(), n2Held, logged);
      assertTrue(d1.isAlive(), "SIGHUP stopped the director\n" + d.logs());
      assertEquals(samples, n1Held, "n1 lost the VIP after SIGHUP\n" + d.logs());
      assertEquals(0, n2Held, "n2 took the VIP over after SIGHUP to n1\n" + d.logs());
      assertFalse(d.read(d.log(2)).substring(n2Before).contains("-> MASTER"), d.logs());
      assertEquals(2, logged, d.logs());

      // The stop hook is still there: SIGTERM hands over and releases.
      DirectorHosts.kill("TERM", d1);
      d.await("n2 owns the VIP after SIGTERM of n1", Duration.ofSeconds(10), () -> d.hasVip(2));
      assertTrue(d1.waitFor(10, TimeUnit.SECONDS), "n1 did not exit on SIGTERM");
      assertFalse(d.hasVip(1), d.logs());
      assertTrue(d2.isAlive());
    }
  }
}
