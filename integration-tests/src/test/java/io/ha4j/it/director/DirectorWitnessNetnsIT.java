package io.ha4j.it.director;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Clock;
import io.ha4j.api.transport.WitnessTransport.CloseReason;
import io.ha4j.api.transport.WitnessTransport.WitnessConnection;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.HeartbeatKey;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.witness.linux.LinuxWitnessTransport;
import io.ha4j.netlink.NetworkNamespace;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The death witness in the director (issue 17): two directors started by the launcher (its heap
 * and collector), n1 master (150), n2 backup (100). kill -9 of n1's JVM: n2 holds the VIP within
 * milliseconds of the kill (target 20 ms; the assertion allows for load), at 1 s and at 0.1 s
 * adverts, since n1's kernel closes the witness connection and refuses the probe. Host death (n1's link set down in its namespace): nothing tells n2, and it
 * takes over by its master-down timer, as without a witness.
 *
 * <p>The VIP's arrival on n2 is stamped by {@code ip -ts monitor address} in n2's namespace
 * (the kernel's event, wall clock in microseconds), and the kill by this JVM's wall clock just
 * before the signal: no polling period in the figure.
 */
@NetnsTest
class DirectorWitnessNetnsIT {

  /** DirectorHosts' ha4j_key. */
  static final String KEY = "netns test secret of 16+ bytes";
  /** The target for a process death, printed beside the figure. */
  static final Duration PROCESS_DEATH_TARGET = Duration.ofMillis(20);
  /**
   * What the test asserts: far below the master-down interval (360 ms at 0.1 s), so only the
   * witness can have done it, with room for this machine's load (2 cores shared by parallel
   * builds: 27-36 ms seen at load 7.7, of which 13-15 ms until n1's kernel closed the connection).
   */
  static final Duration PROCESS_DEATH_BOUND = Duration.ofMillis(100);
  /** JVM scheduling on two shared cores and the netlink round trip, beyond the master-down interval. */
  static final Duration TIMER_MARGIN = Duration.ofMillis(400);

  @Test
  void oneSecondAdverts(@TempDir Path dir) throws Exception {
    run(dir, "1", Duration.ofSeconds(1));
  }

  @Test
  void tenthOfASecondAdverts(@TempDir Path dir) throws Exception {
    run(dir, "0.1", Duration.ofMillis(100));
  }

  private void run(Path dir, String advertInt, Duration interval) throws Exception {
    try (DirectorHosts d = DirectorHosts.bridge("dwit", 2, dir)) {
      NetnsRig rig = d.rig;
      Path c1 = withInterval(d.config(1, 2, "director-1", 150, ""), advertInt);
      Path c2 = withInterval(d.config(2, 1, "director-2", 100, ""), advertInt);
      Process d1 = d.startWithLaunchersOptions(1, c1);
      d.startWithLaunchersOptions(2, c2);
      d.await("n1 owns the VIP", Duration.ofSeconds(30), () -> d.hasVip(1) && !d.hasVip(2));
      settle(interval);
      Path monitor = dir.resolve("n2-monitor.log");
      rig.start(2, List.of("ip", "-ts", "monitor", "address"), monitor.toFile());
      Thread.sleep(300);

      // A witness connection of this JVM's own from n2's namespace: when n1's kernel closes it.
      CompletableFuture<Long> closedAt = new CompletableFuture<>();
      LinuxWitnessTransport own = ownWitness(rig, closedAt);
      Thread.sleep(200);
      Instant killedAt = Instant.now();
      long killedNanos = System.nanoTime();
      d1.destroyForcibly();
      d.await("n2 owns the VIP after kill -9 of n1", Duration.ofSeconds(15), () -> d.hasVip(2));
      Duration tookKill = Duration.between(killedAt, vipAddedAfter(monitor, 0));
      double closeMs = (closedAt.get(5, TimeUnit.SECONDS) - killedNanos) / 1e6;
      own.close();
      System.out.printf("[director witness netns] advert_int %s s: kill -9 of master n1 (pid %d) -> VIP on n2 after "
          + "%.1f ms (target %d ms, bound %d ms; master-down interval %d ms); n1's kernel closed its witness connections "
          + "%.1f ms after the kill; no stagger (n2's only peer is n1)%n", advertInt, d1.pid(), tookKill.toNanos() / 1e6,
          PROCESS_DEATH_TARGET.toMillis(), PROCESS_DEATH_BOUND.toMillis(),
          VrrpElection.masterDownInterval(100, interval).toMillis(), closeMs);
      assertTrue(d.contains(d.log(2), "kernel refused the witness probe"), d.logs());
      assertTrue(tookKill.compareTo(PROCESS_DEATH_BOUND) <= 0, "kill -9 take-over took " + tookKill + "\n" + d.logs());

      // Host death: n1 back as master, then its link goes down. No kernel speaks for it.
      d.startWithLaunchersOptions(1, c1);
      d.await("restarted n1 owns the VIP again", Duration.ofSeconds(30), () -> d.hasVip(1) && !d.hasVip(2));
      settle(interval);
      int seen = Files.readAllLines(monitor, StandardCharsets.UTF_8).size();
      Instant downAt = Instant.now();
      rig.exec(1, "ip", "link", "set", rig.interfaceName(1), "down").orThrow();
      d.await("n2 owns the VIP after n1's link went down", Duration.ofSeconds(15), () -> d.hasVip(2));
      Duration tookHost = Duration.between(downAt, vipAddedAfter(monitor, seen));
      Duration mdi = VrrpElection.masterDownInterval(100, interval);
      System.out.printf("[director witness netns] advert_int %s s: n1's link down -> VIP on n2 after %d ms "
          + "(master-down interval %d ms: the timer decides)%n", advertInt, tookHost.toMillis(), mdi.toMillis());
      assertTrue(tookHost.compareTo(mdi.minus(interval)) >= 0, "host death concluded early: " + tookHost);
      assertTrue(tookHost.compareTo(mdi.plus(TIMER_MARGIN)) <= 0, "host death take-over took " + tookHost);
    }
  }

  /** A keyed connection from n2's namespace to n1's witness endpoint that records when it ends. */
  private static LinuxWitnessTransport ownWitness(NetnsRig rig, CompletableFuture<Long> closedAt) {
    LinuxWitnessTransport t = NetworkNamespace.call(NetworkNamespace.path(rig.namespace(2)), () -> {
      try {
        return LinuxWitnessTransport.open(new InetSocketAddress(rig.address(2), 0), List.of(rig.address(1)),
            LinuxWitnessTransport.tcpMd5Key(new HeartbeatKey(1, KEY.getBytes(StandardCharsets.UTF_8))),
            Clock.system());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    t.connect(new InetSocketAddress(rig.address(1), HeartbeatConfig.DEFAULT_WITNESS_PORT),
        new WitnessConnection.Handler() {
          @Override
          public void opened(WitnessConnection c) {}

          @Override
          public void received(WitnessConnection c, ByteBuffer message) {}

          @Override
          public void closed(WitnessConnection c, CloseReason reason) {
            closedAt.complete(System.nanoTime());
          }
        });
    return t;
  }

  /** Lets n2 hear n1's adverts as master and open its witness connection (its hello is logged at DEBUG only). */
  private static void settle(Duration interval) throws InterruptedException {
    Thread.sleep(3 * interval.toMillis() + 500);
  }

  /** The time stamp of the first addition of the VIP that {@code ip -ts monitor} printed from line {@code from} on. */
  private static Instant vipAddedAfter(Path monitor, int from) throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      List<String> lines = Files.readAllLines(monitor, StandardCharsets.UTF_8);
      for (String l : lines.subList(Math.min(from, lines.size()), lines.size())) {
        if (l.startsWith("[") && l.contains("inet " + DirectorHosts.VIP + "/") && !l.contains("Deleted")) {
          LocalDateTime t = LocalDateTime.parse(l.substring(1, l.indexOf(']')));
          return t.atZone(ZoneId.systemDefault()).toInstant();
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("ip monitor did not show the VIP added:\n" + Files.readString(monitor));
  }

  private static Path withInterval(Path config, String advertInt) throws IOException {
    String text = Files.readString(config, StandardCharsets.UTF_8);
    Files.writeString(config, text.replace("advert_int 0.1", "advert_int " + advertInt), StandardCharsets.UTF_8);
    return config;
  }
}
