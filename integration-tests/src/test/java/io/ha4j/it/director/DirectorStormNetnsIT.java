package io.ha4j.it.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's acceptance point: 200 real servers failing at once under a master at 20 ms adverts,
 * zero false fail-overs. Two directors (n1 master, n2 backup: {@link SlowTableDirector}, the
 * daemon over the fake IPVS kernel, since this host has no ip_vs, each full table read waiting
 * {@link #STALL} as a netlink reply can) check 200 TCP real servers in n3 ({@link
 * ManyPortsServer}). Killing n3's server fails every check within one delay_loop. The adverts are
 * captured at the backup's interface (tcpdump) while every check fails and the member reconciles;
 * the backup must never become master, and n1 keeps the VIP. Prints the advert gaps at the backup
 * and the master's table reads.
 */
@NetnsTest
class DirectorStormNetnsIT {

  static final int SERVERS = 200;
  static final int FIRST_PORT = 9001;
  static final Duration ADVERT = Duration.ofMillis(20);
  /** Each full read of the table: a slow netlink reply (the kernel's own take 1-2 ms). */
  static final Duration STALL = Duration.ofMillis(100);

  @Test
  void twoHundredRealServersFailingAtOnceCauseNoFalseFailOver(@TempDir Path dir) throws Exception {
    try (DirectorHosts d = DirectorHosts.bridge("storm", 3, dir)) {
      NetnsRig rig = d.rig;
      Process servers = rig.start(3, NetnsRig.javaCommand(ManyPortsServer.class.getName(),
          rig.address(3).getHostAddress(), Integer.toString(FIRST_PORT), Integer.toString(SERVERS)),
          d.file("n3.log").toFile());
      d.await("n3 listens", Duration.ofSeconds(30), () -> d.contains(d.file("n3.log"), "listening on"));
      Path log1 = d.log(1);
      Path log2 = d.log(2);
      rig.start(1, NetnsRig.javaCommand(SlowTableDirector.class.getName(), Long.toString(STALL.toMillis()),
          config(d, 1, 2, 150).toString()), log1.toFile());
      rig.start(2, NetnsRig.javaCommand(SlowTableDirector.class.getName(), Long.toString(STALL.toMillis()),
          config(d, 2, 1, 100).toString()), log2.toFile());
      d.await("n1 owns the VIP and n2 does not", Duration.ofSeconds(60), () -> d.hasVip(1) && !d.hasVip(2));
      d.await("n1 and n2 see every real server UP", Duration.ofSeconds(60),
          () -> count(d, log1, REAL_SERVER, "UNKNOWN -> UP") == SERVERS && count(d, log2, REAL_SERVER, "UNKNOWN -> UP") == SERVERS);
      Thread.sleep(2000); // the JVMs' start-up is over

      Path capture = d.file("adverts.txt");
      Process tcpdump = rig.start(2, List.of("tcpdump", "-i", rig.interfaceName(2), "-n", "-tt", "-l", "-q",
          "udp and src host " + rig.address(1).getHostAddress()), capture.toFile());
      d.await("tcpdump listens", Duration.ofSeconds(10), () -> d.contains(capture, "listening on"));
      Thread.sleep(500);
      int takeOversBefore = count(d, log2, "-> MASTER:");
      int readsBefore = count(d, log1, SlowTableDirector.READ);
      long killedAt = System.nanoTime();
      servers.destroyForcibly();
      d.await("n1 sees every real server DOWN", Duration.ofSeconds(30),
          () -> count(d, log1, REAL_SERVER, "UP -> DOWN") == SERVERS);
      long downAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
      Thread.sleep(3000); // the passes the storm queued, and some quiet
      tcpdump.destroy();
      tcpdump.waitFor();

      List<Double> at = new ArrayList<>();
      for (String line : Files.readAllLines(capture, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (f.length > 2 && f[1].equals("IP") && f[0].matches("\\d+\\.\\d+")) {
          at.add(Double.parseDouble(f[0]));
        }
      }
      double maxGap = 0;
      for (int i = 1; i < at.size(); i++) {
        maxGap = Math.max(maxGap, at.get(i) - at.get(i - 1));
      }
      double meanGap = at.size() > 1 ? (at.get(at.size() - 1) - at.get(0)) / (at.size() - 1) : Double.NaN;
      int reads = count(d, log1, SlowTableDirector.READ) - readsBefore;
      int takeOvers = count(d, log2, "-> MASTER:") - takeOversBefore;
      Duration mdi = VrrpElection.masterDownInterval(100, ADVERT);
      System.out.printf("[director storm netns] %d real servers killed at once, all DOWN at n1 after %d ms; adverts"
          + " at the backup: %d, gaps max %.1f ms mean %.1f ms (interval %d ms, master-down %d ms); master's full"
          + " table reads (each %d ms) during the storm: %d; backup take-overs: %d%n", SERVERS, downAfterMs,
          at.size(), maxGap * 1000, meanGap * 1000, ADVERT.toMillis(), mdi.toMillis(), STALL.toMillis(), reads,
          takeOvers);

      assertEquals(0, takeOvers, "false fail-over: the backup became master\n" + d.read(log2));
      assertTrue(d.hasVip(1), "n1 keeps the VIP");
      assertFalse(d.hasVip(2), "n2 never holds the VIP");
      assertTrue(at.size() > 100, "adverts captured at the backup: " + at.size());
      assertTrue(maxGap * 1e9 < mdi.toNanos(), "an advert gap of " + maxGap * 1000 + " ms at the backup");
      // Coalesced: while changes keep coming, one pass per read's duration, and one after them.
      long bound = downAfterMs / STALL.toMillis() + 3;
      assertTrue(reads <= bound, reads + " full table reads for one storm of " + downAfterMs + " ms, bound " + bound);
    }
  }

  /** The director's own line for a real server's change (the engine logs one too). */
  static final String REAL_SERVER = "DirectorMain - real server ";

  /** Lines of {@code log} that contain every one of {@code texts}. */
  private static int count(DirectorHosts d, Path log, String... texts) {
    try {
      int n = 0;
      for (String line : d.read(log).split("\n")) {
        boolean all = true;
        for (String t : texts) {
          all &= line.contains(t);
        }
        n += all ? 1 : 0;
      }
      return n;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Host {@code self}'s configuration: 20 ms adverts to {@code peer}, the VIP, 200 TCP real servers in n3. */
  private static Path config(DirectorHosts d, int self, int peer, int priority) throws IOException {
    NetnsRig rig = d.rig;
    StringBuilder servers = new StringBuilder();
    for (int p = FIRST_PORT; p < FIRST_PORT + SERVERS; p++) {
      servers.append("""
            real_server %s %d {
              TCP_CHECK {
                connect_timeout 1
                retry 0
              }
            }
          """.formatted(rig.address(3).getHostAddress(), p));
    }
    String text = """
        global_defs {
          router_id storm-%d
        }
        vrrp_instance VI_1 {
          state BACKUP
          interface %s
          virtual_router_id 51
          priority %d
          advert_int 0.02
          unicast_src_ip %s
          unicast_peer {
            %s
          }
          ha4j_key 1 "netns test secret of 16+ bytes"
          virtual_ipaddress {
            %s/24 dev %s
          }
        }
        virtual_server %s 80 {
          delay_loop 1
          lb_algo rr
          lb_kind DR
        %s}
        """.formatted(self, rig.interfaceName(self), priority, rig.address(self).getHostAddress(),
        rig.address(peer).getHostAddress(), DirectorHosts.VIP, rig.interfaceName(self), DirectorHosts.VIP, servers);
    Path p = d.file("storm" + self + ".conf");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }
}
