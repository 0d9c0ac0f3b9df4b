package io.ha4j.it.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Clock;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.table.TableEntry;
import io.ha4j.director.DirectorMain;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: LVS-only mode, keepalived.conf.fwmark's and ldirectord's shape (virtual servers, no
 * vrrp_instance): the checks alone drive the table, with no election and no VIP. The director runs
 * over the testkit's fake IPVS kernel (the real netlink bytes): the real server whose port
 * answers is in the table, the one whose port refuses is taken out, as keepalived does without
 * inhibit_on_failure.
 */
class DirectorLvsOnlyTest {

  @Test
  void checksAloneDriveTheTable(@TempDir Path dir) throws Exception {
    FakeIpvsKernel kernel = new FakeIpvsKernel();
    try (ServerSocket up = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int refusing = closed.getLocalPort();
      closed.close();
      Path conf = dir.resolve("lvs.conf");
      Files.writeString(conf, """
          global_defs {
            router_id LVS_ONLY
          }
          virtual_server 203.0.113.10 80 {
            delay_loop 0.1
            lb_algo rr
            lb_kind NAT
            protocol TCP
            real_server 127.0.0.1 %d {
              TCP_CHECK {
                connect_timeout 1
              }
            }
            real_server 127.0.0.1 %d {
              TCP_CHECK {
                connect_timeout 1
              }
            }
          }
          """.formatted(up.getLocalPort(), refusing), StandardCharsets.UTF_8);
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(err, true, StandardCharsets.UTF_8);
      assertEquals(0, DirectorMain.run(new String[] {"--check", conf.toString()}, out, null));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("LVS-only (no vrrp_instance: no election, no VIP)"),
          err.toString(StandardCharsets.UTF_8));
      assertEquals(DirectorMain.RUNNING, DirectorMain.run(new String[] {conf.toString()}, out,
          () -> new IpvsClient(kernel, Clock.system(), Duration.ofSeconds(5))), err.toString(StandardCharsets.UTF_8));

      IpvsClient reader = new IpvsClient(kernel, Clock.system(), Duration.ofSeconds(5));
      List<RealServer.Endpoint> expected = List.of(
          new RealServer.Endpoint(InetAddress.getLoopbackAddress(), up.getLocalPort()));
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      List<RealServer.Endpoint> seen = List.of();
      while (System.nanoTime() - end < 0) {
        List<TableEntry> table = reader.read();
        if (table.size() == 1) {
          seen = table.get(0).realServers().stream().map(RealServer::endpoint).toList();
          if (seen.equals(expected)) {
            break;
          }
        }
        Thread.sleep(20);
      }
      assertEquals(expected, seen, "the table after the checks: " + reader.read());
      assertEquals(ServiceKey.of(Protocol.TCP, InetAddress.getByName("203.0.113.10"), 80),
          reader.read().get(0).service().key());
    }
  }
}
