package io.ha4j.it.ipvs;

import io.ha4j.testkit.vm.IpvsNamespace;
import static io.ha4j.it.ipvs.IpvsClientKernelIT.ip;
import static io.ha4j.it.ipvs.IpvsClientKernelIT.server;
import static io.ha4j.it.ipvs.IpvsClientKernelIT.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.Clock;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.HealthLookup;
import io.ha4j.core.reconcile.ReconcileReport;
import io.ha4j.core.reconcile.Reconciler;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkSocket;
import io.ha4j.netlink.NetlinkTransport;
import io.ha4j.testkit.vm.KernelTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adoption: a fresh client, and the {@link Reconciler} on it, started over a table that another
 * program (ipvsadm) left, with a configuration that matches it, changes nothing: not one
 * modifying request reaches the kernel (counted on the socket), the report has no op, and
 * ipvsadm shows the same table and the same traffic counters afterwards (which a delete-and-add
 * would have reset).
 */
@KernelTest
class IpvsAdoptionKernelIT {

  /** The generic netlink commands of ip_vs that change the table ({@code IPVS_CMD_*}). */
  private static final Set<Integer> MODIFYING = Set.of(1, 2, 3, 5, 6, 7, 16, 17);

  static final String TABLE = String.join("\n",
      "-A -t 198.51.100.2:80 -s rr",
      "-a -t 198.51.100.2:80 -r 203.0.113.10:80 -m -w 3 -x 100 -y 10",
      "-a -t 198.51.100.2:80 -r 203.0.113.11:80 -g -w 0",
      "-A -u [2001:db8::1]:53 -s sh -p 60 -M 64 -b sh-port",
      "-a -u [2001:db8::1]:53 -r [2001:db8::10]:53 -i --tun-type gue --tun-port 6080 --tun-csum",
      "-A -f 7 -s wlc -p 600 -M 255.255.255.0",
      "-a -f 7 -r 203.0.113.30:0 -g -w 2") + "\n";

  /** The same table as the application configures it. */
  static List<DesiredService> desired(int firstWeight) {
    ServiceKey fw = ServiceKey.fwmark(7, AddressFamily.INET);
    return List.of(
        DesiredService.of(VirtualService.of(tcp("198.51.100.2", 80), "rr"), List.of(
            server("203.0.113.10", 80, firstWeight, ForwardingMethod.NAT).withThresholds(100, 10),
            server("203.0.113.11", 80, 0, ForwardingMethod.DR))),
        DesiredService.of(new VirtualService(ServiceKey.of(Protocol.UDP, ip("2001:db8::1"), 53), "sh",
                Set.of(ServiceFlag.SCHED2), 60, 64, null),
            List.of(server("2001:db8::10", 53, 1, ForwardingMethod.TUN).withTunnel(TunnelType.GUE, 6080, 1))),
        DesiredService.of(VirtualService.of(fw, "wlc").withPersistence(600, 24),
            List.of(server("203.0.113.30", 0, 2, ForwardingMethod.DR))));
  }

  /** A socket that records the IPVS command of every request it sends. */
  static final class CountingTransport implements NetlinkTransport {
    final NetlinkSocket socket;
    final List<Integer> commands = new ArrayList<>();

    CountingTransport(String netns) {
      socket = NetlinkSocket.open(Netlink.PROTOCOL_GENERIC, netns);
    }

    long modifying() {
      return commands.stream().filter(MODIFYING::contains).count();
    }

    @Override
    public int portId() {
      return socket.portId();
    }

    @Override
    public void send(ByteBuffer datagram) {
      for (NetlinkMessage m : NetlinkMessage.parseAll(datagram.duplicate())) {
        if (m.type() != Netlink.GENL_ID_CTRL) {
          commands.add(m.genlCommand());
        }
      }
      socket.send(datagram);
    }

    @Override
    public ByteBuffer receive(Duration timeout) {
      return socket.receive(timeout);
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  private static IpvsNamespace ns;

  @BeforeAll
  static void tableWithTraffic() {
    ns = new IpvsNamespace("adopt");
    ns.restore(TABLE);
    ns.sh("ip addr add 198.51.100.2/32 dev lo && ip addr add 203.0.113.10/32 dev lo"
        + " && for i in 1 2 3; do timeout 10 bash -c 'exec 3<>/dev/tcp/198.51.100.2/80' 2>/dev/null; done; true");
  }

  @AfterAll
  static void close() {
    if (ns != null) {
      ns.close();
    }
  }

  /** ipvsadm's view once ip_vs's estimator has folded the traffic in (it runs every 2 s). */
  private static String settledStats() {
    String previous = "";
    for (int i = 0; i < 40; i++) {
      String now = ns.text("-Ln", "--stats", "--exact");
      if (now.equals(previous) && now.contains("  -> 203.0.113.10:80                     3")) {
        return now;
      }
      previous = now;
    }
    throw new AssertionError("counters never settled at 3 connections:\n" + previous);
  }

  @Test
  void reconcilerOverAnUnchangedTableIssuesNoOp() {
    String stats = settledStats();
    List<String> saved = ns.saved();
    CountingTransport socket = new CountingTransport(ns.name());

    ReconcileReport report;
    try (IpvsClient client = new IpvsClient(socket, Clock.system(), NetlinkConnection.DEFAULT_TIMEOUT)) {
      report = new Reconciler(client, HealthLookup.allUp()).reconcile(desired(3));
    }

    assertTrue(report.ok(), report::toString);
    assertEquals(List.of(), report.ops());
    assertEquals(0, socket.modifying(), () -> "IPVS commands sent: " + socket.commands);
    assertTrue(socket.commands.contains(4), () -> "no service dump among " + socket.commands); // GET_SERVICE
    assertEquals(saved, ns.saved());
    assertEquals(stats, ns.text("-Ln", "--stats", "--exact"));
  }

  /** The control: the same count sees the one op a changed weight needs. */
  @Test
  void oneChangedWeightIsOneEdit() {
    CountingTransport socket = new CountingTransport(ns.name());
    try (IpvsClient client = new IpvsClient(socket, Clock.system(), NetlinkConnection.DEFAULT_TIMEOUT)) {
      ReconcileReport report = new Reconciler(client, HealthLookup.allUp()).reconcile(desired(4));

      assertEquals(1, report.ops().size(), report::toString);
      assertTrue(report.ops().get(0) instanceof TableOp.UpdateRealServer, report::toString);
      assertEquals(1, socket.modifying(), () -> "IPVS commands sent: " + socket.commands);
      assertTrue(ns.saved().contains("-a -t 198.51.100.2:80 -r 203.0.113.10:80 -m -w 4"), ns.saved()::toString);
    } finally {
      ns.ipvsadm("-e", "-t", "198.51.100.2:80", "-r", "203.0.113.10:80", "-m", "-w", "3", "-x", "100", "-y", "10")
          .orThrow();
    }
  }
}
