package io.ha4j.it.ipvs;

import io.ha4j.testkit.vm.IpvsNamespace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsException;
import io.ha4j.ipvs.SyncDaemon;
import io.ha4j.ipvs.ipvsadm.Ipvsadm;
import io.ha4j.testkit.vm.KernelTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ha4j's ipvsadm ({@link Ipvsadm}, the examples' {@code ipvs} command) against ipvsadm 1.31 on
 * the same real table in the kernel VM: {@code list} must print what {@code ipvsadm -Ln} prints,
 * byte for byte, in every column variant; {@code save} what {@code ipvsadm -Sn} prints; and
 * {@code restore} of an {@code ipvsadm -Sn} dump must rebuild a table that ipvsadm saves
 * identically.
 */
@KernelTest
class IpvsadmKernelIT {

  /** Every kind of entry ipvsadm prints differently, loaded by ipvsadm itself. */
  static final String TABLE = String.join("\n",
      "-A -t 198.51.100.1:80 -s wlc",
      "-a -t 198.51.100.1:80 -r 203.0.113.10:80 -m -w 3",
      "-a -t 198.51.100.1:80 -r 203.0.113.11:8080 -g -x 100 -y 10",
      "-a -t 198.51.100.1:80 -r 203.0.113.12:80 -i",
      "-a -t 198.51.100.1:80 -r 203.0.113.13:80 -i --tun-type gue --tun-port 6080 --tun-csum",
      "-a -t 198.51.100.1:80 -r 203.0.113.14:80 -i --tun-type gre --tun-nocsum",
      "-a -t 198.51.100.1:80 -r [2001:db8::22]:80 -i --tun-type gue --tun-port 6081 --tun-remcsum",
      // carries the traffic of the counters: a local real server
      "-A -t 198.51.100.2:80 -s rr",
      "-a -t 198.51.100.2:80 -r 203.0.113.10:80 -m",
      "-A -t 198.51.100.6:0 -s wrr -p 300",
      "-A -u 198.51.100.5:5060 -s rr -p 120 --pe sip",
      "-a -u 198.51.100.5:5060 -r 203.0.113.20:5060 -m -w 0",
      "-A --sctp-service 198.51.100.3:9 -s wlc",
      "-A -u [2001:db8::1]:53 -s sh -p 60 -M 64 -o -b sh-fallback,sh-port",
      "-a -u [2001:db8::1]:53 -r [2001:db8::10]:53 -g -w 65535",
      "-A -t [2001:db8::ffff:1]:443 -s mh -b mh-port",
      "-A -f 7 -s lc -p 600 -M 255.255.255.0",
      "-a -f 7 -r 203.0.113.30:0 -g",
      "-A -f 8 -6 -s mh -b mh-fallback",
      "-a -f 8 -6 -r [2001:db8::30]:0 -g",
      "-A -f 4294967295 -s rr") + "\n";

  private static IpvsNamespace ns;

  @BeforeAll
  static void loadTableAndTraffic() {
    ns = new IpvsNamespace("ipvsadm");
    ns.restore(TABLE);
    ns.sh("ip addr add 198.51.100.2/32 dev lo && ip addr add 203.0.113.10/32 dev lo"
        + " && for i in 1 2 3 4 5; do timeout 10 bash -c 'exec 3<>/dev/tcp/198.51.100.2/80' 2>/dev/null; done; true");
  }

  @AfterAll
  static void close() {
    if (ns != null) {
      ns.close();
    }
  }

  /** What our ipvsadm prints for {@code args}, run as the {@code ipvs} command runs it. */
  static String ours(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new Ipvsadm(netns -> IpvsClient.open(ns.name()),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
    assertEquals(0, status, () -> List.of(args) + ": " + err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Both outputs of {@code args}. Counters and rates move when ip_vs's estimator runs (every 2 s),
   * so a comparison counts only when our output was the same before and after ipvsadm's.
   */
  private static void assertSameOutput(String... args) {
    String theirs = "";
    String before = "";
    for (int attempt = 0; attempt < 5; attempt++) {
      before = ours("", args);
      theirs = ns.text(args);
      String after = ours("", args);
      if (before.equals(after) && before.equals(theirs)) {
        return;
      }
    }
    assertEquals(theirs, before, () -> "ipvsadm " + String.join(" ", args));
  }

  @ParameterizedTest(name = "ipvsadm {0}")
  @ValueSource(strings = {
      "-Ln", "-Ln --stats", "-Ln --rate", "-Ln --stats --exact", "-Ln --rate --exact", "-Ln --thresholds",
      "-Ln --persistent-conn", "-Ln -t 198.51.100.1:80", "-Ln -u [2001:db8::1]:53 --stats", "-Ln -f 8 -6",
      "-L --timeout"})
  void listPrintsWhatIpvsadmPrints(String args) {
    assertSameOutput(args.split(" "));
  }

  /**
   * Also what the kernel demands of sync daemons (observed on 6.1 ip_vs in the VM): none starts
   * while a service has a real server of the other address family (the sync protocol cannot
   * carry it), and no such real server is added while one runs; both EINVAL.
   */
  @Test
  void daemonListingPrintsWhatIpvsadmPrints() throws Exception {
    ns.sh("ip link add sync1 type dummy && ip link set sync1 multicast on up");
    ServiceKey v4 = ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100.1"), 80);
    RealServer mixed = RealServer.of(InetAddress.getByName("2001:db8::22"), 80)
        .withForwarding(ForwardingMethod.TUN).withTunnel(TunnelType.GUE, 6081, 2);
    SyncDaemon master = new SyncDaemon(SyncDaemon.State.MASTER, "sync1", 5, 1400,
        InetAddress.getByName("239.1.1.1"), 8849, 2);
    try (IpvsClient client = IpvsClient.open(ns.name())) {
      assertEquals(22, assertThrows(IpvsException.class, () -> client.startDaemon(master)).errno());
      client.deleteRealServer(v4, mixed.endpoint());
      client.startDaemon(master);
      client.startDaemon(SyncDaemon.of(SyncDaemon.State.BACKUP, "sync1", 9));
      try {
        assertSameOutput("-L", "--daemon");
        assertEquals(22, assertThrows(IpvsException.class, () -> client.addRealServer(v4, mixed)).errno());
      } finally {
        client.stopDaemon(SyncDaemon.State.MASTER);
        client.stopDaemon(SyncDaemon.State.BACKUP);
        client.addRealServer(v4, mixed);
      }
    } finally {
      ns.sh("ip link del sync1");
    }
  }

  @Test
  void savePrintsWhatIpvsadmSaves() {
    assertEquals(ns.text("-Sn"), ours("", "-Sn"));
  }

  @Test
  void restoreOfAnIpvsadmDumpRebuildsTheSameTable() {
    String saved = ns.text("-Sn");
    IpvsNamespace other = new IpvsNamespace("restore");
    try {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = new Ipvsadm(netns -> IpvsClient.open(other.name()),
          new ByteArrayInputStream(saved.getBytes(StandardCharsets.UTF_8)),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8)).run("-R");

      assertEquals(0, status, () -> err.toString(StandardCharsets.UTF_8));
      assertEquals(saved, other.text("-Sn"));
    } finally {
      other.close();
    }
  }
}
