package io.ha4j.it.ipvs;

import io.ha4j.testkit.vm.IpvsNamespace;
import static io.ha4j.linux.Errno.EEXIST;
import static io.ha4j.linux.Errno.EINVAL;
import static io.ha4j.linux.Errno.ENOENT;
import static io.ha4j.linux.Errno.ERANGE;
import static io.ha4j.linux.Errno.ESRCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsDestination;
import io.ha4j.ipvs.IpvsException;
import io.ha4j.ipvs.IpvsInfo;
import io.ha4j.ipvs.IpvsService;
import io.ha4j.ipvs.IpvsStats;
import io.ha4j.ipvs.IpvsTimeouts;
import io.ha4j.ipvs.SyncDaemon;
import io.ha4j.testkit.vm.KernelTest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every command of {@link IpvsClient} against the real ip_vs of the kernel VM, each result read
 * back both through the client and through ipvsadm 1.31 ({@code -Sn}, {@code -Ln} and its
 * variants). Expected ipvsadm lines are its save/list formats as observed on the VM's 6.1 kernel;
 * errnos are those of net/netfilter/ipvs/ip_vs_ctl.c (6.1).
 */
@KernelTest
class IpvsClientKernelIT {

  private static IpvsNamespace ns;
  private static IpvsClient client;

  @BeforeAll
  static void open() {
    ns = new IpvsNamespace("client");
    client = ns.client();
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
    if (ns != null) {
      ns.close();
    }
  }

  @BeforeEach
  void emptyTable() {
    client.flush();
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static ServiceKey.Inet tcp(String address, int port) {
    return ServiceKey.of(Protocol.TCP, ip(address), port);
  }

  static RealServer server(String address, int port, int weight, ForwardingMethod fwd) {
    return RealServer.of(ip(address), port).withWeight(weight).withForwarding(fwd);
  }

  private static Set<VirtualService> services() {
    return client.services().stream().map(IpvsService::service).collect(Collectors.toSet());
  }

  private static Set<RealServer> servers(ServiceKey key) {
    return client.destinations(key).stream().map(IpvsDestination::realServer).collect(Collectors.toSet());
  }

  private static int errno(Executable op) {
    return assertThrows(IpvsException.class, op).errno();
  }

  @Test
  void infoIsTheVersionAndTableSizeIpvsadmPrints() {
    IpvsInfo info = client.info();

    assertEquals("1.2.1", info.versionString());
    assertEquals("IP Virtual Server version 1.2.1 (size=" + info.connectionTableSize() + ")",
        ns.text("-Ln").lines().findFirst().orElseThrow());
  }

  @Test
  void everyKindOfServiceReadsBackThroughBothTools() {
    List<VirtualService> added = List.of(
        VirtualService.of(tcp("198.51.100.1", 80), "rr"),
        // port 0: every port, allowed only with persistence
        new VirtualService(tcp("198.51.100.6", 0), "wrr", Set.of(), 300, 32, null),
        new VirtualService(ServiceKey.of(Protocol.UDP, ip("198.51.100.5"), 5060), "rr", Set.of(), 120, 32, "sip"),
        VirtualService.of(ServiceKey.of(Protocol.SCTP, ip("198.51.100.3"), 9), "wlc"),
        new VirtualService(ServiceKey.of(Protocol.UDP, ip("2001:db8::1"), 53), "sh",
            Set.of(ServiceFlag.ONE_PACKET, ServiceFlag.SCHED1, ServiceFlag.SCHED2), 60, 64, null),
        VirtualService.of(ServiceKey.fwmark(7, AddressFamily.INET), "lc").withPersistence(600, 24),
        VirtualService.of(ServiceKey.fwmark(8, AddressFamily.INET6), "mh").withFlags(Set.of(ServiceFlag.SCHED1)));
    added.forEach(client::addService);

    assertEquals(new HashSet<>(added), services());
    for (VirtualService s : added) {
      assertEquals(s, client.service(s.key()).service());
    }
    // libipvs order: inet services (by family, protocol, address, port) before fwmark ones
    assertEquals(List.of(
            "-A -t 198.51.100.1:80 -s rr",
            "-A -t 198.51.100.6:0 -s wrr -p 300",
            "-A -u 198.51.100.5:5060 -s rr -p 120 --pe sip",
            "-A --sctp-service 198.51.100.3:9 -s wlc",
            "-A -u [2001:db8::1]:53 -s sh -p 60 -M 64 -o -b sh-fallback,sh-port",
            "-A -f 7 -s lc -p 600 -M 255.255.255.0",
            "-A -f 8 -6 -s mh -b mh-fallback"),
        ns.saved());
  }

  // Every scheduler linux-image-6.1.0-*-amd64 builds (CONFIG_IP_VS_*=m); it has no twos.
  @Test
  void everySchedulerOfTheKernelCanBeSetAndChanged() {
    List<String> schedulers = List.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < schedulers.size(); i++) {
      client.addService(VirtualService.of(tcp("198.51.100.1", 1000 + i), schedulers.get(i)));
      expected.add("-A -t 198.51.100.1:" + (1000 + i) + " -s " + schedulers.get(i));
    }
    assertEquals(expected, ns.saved());
    assertEquals(new HashSet<>(schedulers),
        services().stream().map(VirtualService::scheduler).collect(Collectors.toSet()));

    // -E: every scheduler replaced by the next one
    for (int i = 0; i < schedulers.size(); i++) {
      String next = schedulers.get((i + 1) % schedulers.size());
      client.updateService(VirtualService.of(tcp("198.51.100.1", 1000 + i), next));
      expected.set(i, "-A -t 198.51.100.1:" + (1000 + i) + " -s " + next);
    }
    assertEquals(expected, ns.saved());
  }

  @Test
  void editAndDeleteServiceReadBackThroughBothTools() {
    ServiceKey key = tcp("198.51.100.1", 443);
    client.addService(VirtualService.of(key, "rr"));
    VirtualService edited = VirtualService.of(key, "wrr").withPersistence(900, 16);

    client.updateService(edited);

    assertEquals(edited, client.service(key).service());
    assertEquals(List.of("-A -t 198.51.100.1:443 -s wrr -p 900 -M 255.255.0.0"), ns.saved());

    client.deleteService(key);

    assertEquals(Set.of(), services());
    assertEquals(List.of(), ns.saved());
  }

  @Test
  void forwardingMethodsThresholdsAndTunnelTypesReadBackThroughBothTools() {
    ServiceKey v4 = tcp("198.51.100.1", 80);
    ServiceKey v6 = tcp("2001:db8::1", 443);
    client.addService(VirtualService.of(v4, "wlc"));
    client.addService(VirtualService.of(v6, "rr"));
    Set<RealServer> v4Servers = Set.of(
        server("203.0.113.10", 80, 1, ForwardingMethod.DR),
        server("203.0.113.11", 8080, 5, ForwardingMethod.NAT).withThresholds(100, 10),
        server("203.0.113.12", 80, 2, ForwardingMethod.TUN),
        server("203.0.113.13", 80, 1, ForwardingMethod.TUN).withTunnel(TunnelType.GUE, 6080, 1),
        server("203.0.113.14", 80, 1, ForwardingMethod.TUN).withTunnel(TunnelType.GRE, 0, 1),
        // a tunnel may cross address families: IPv4 service, IPv6 real server
        server("2001:db8::22", 80, 1, ForwardingMethod.TUN).withTunnel(TunnelType.GUE, 6081, 2));
    Set<RealServer> v6Servers = Set.of(
        server("2001:db8::10", 443, 1, ForwardingMethod.DR),
        server("2001:db8::11", 8443, 1, ForwardingMethod.NAT));
    v4Servers.forEach(r -> client.addRealServer(v4, r));
    v6Servers.forEach(r -> client.addRealServer(v6, r));

    assertEquals(v4Servers, servers(v4));
    assertEquals(v6Servers, servers(v6));
    assertEquals(List.of(
            "-A -t 198.51.100.1:80 -s wlc",
            "-a -t 198.51.100.1:80 -r 203.0.113.10:80 -g -w 1",
            "-a -t 198.51.100.1:80 -r 203.0.113.11:8080 -m -w 5",
            "-a -t 198.51.100.1:80 -r 203.0.113.12:80 -i -w 2 --tun-type ipip",
            "-a -t 198.51.100.1:80 -r 203.0.113.13:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum",
            "-a -t 198.51.100.1:80 -r 203.0.113.14:80 -i -w 1 --tun-type gre --tun-csum",
            "-a -t 198.51.100.1:80 -r [2001:db8::22]:80 -i -w 1 --tun-type gue --tun-port 6081 --tun-remcsum",
            "-A -t [2001:db8::1]:443 -s rr",
            "-a -t [2001:db8::1]:443 -r [2001:db8::10]:443 -g -w 1",
            "-a -t [2001:db8::1]:443 -r [2001:db8::11]:8443 -m -w 1"),
        ns.saved());
    // ipvsadm saves no thresholds; its --thresholds listing shows them
    assertTrue(ns.text("-Ln", "--thresholds", "-t", "198.51.100.1:80")
        .contains(String.format("  -> %-28s %-10s %-10s %-10s %-10s%n", "203.0.113.11:8080", 100, 10, 0, 0)));

    // -e and -d
    RealServer drained = server("203.0.113.11", 8080, 0, ForwardingMethod.DR);
    client.updateRealServer(v4, drained);
    client.deleteRealServer(v4, new RealServer.Endpoint(ip("203.0.113.12"), 80));
    client.deleteRealServer(v6, new RealServer.Endpoint(ip("2001:db8::10"), 443));

    Set<RealServer> expected = new HashSet<>(v4Servers);
    expected.removeIf(r -> r.address().equals(ip("203.0.113.11")) || r.address().equals(ip("203.0.113.12")));
    expected.add(drained);
    assertEquals(expected, servers(v4));
    assertEquals(Set.of(server("2001:db8::11", 8443, 1, ForwardingMethod.NAT)), servers(v6));
    List<String> saved = ns.saved();
    assertTrue(saved.contains("-a -t 198.51.100.1:80 -r 203.0.113.11:8080 -g -w 0"), saved::toString);
    assertEquals(8, saved.size(), saved::toString);
  }

  @Test
  void refusedOpsCarryTheKernelsErrno() {
    ServiceKey key = tcp("198.51.100.1", 80);
    ServiceKey missing = tcp("198.51.100.2", 80);
    RealServer r = server("203.0.113.10", 80, 1, ForwardingMethod.NAT);
    client.addService(VirtualService.of(key, "rr"));
    client.addRealServer(key, r);

    assertEquals(EEXIST.number(), errno(() -> client.addService(VirtualService.of(key, "wlc"))));
    assertEquals(ENOENT.number(), errno(() -> client.addService(VirtualService.of(missing, "no-such"))));
    assertEquals(ENOENT.number(),
        errno(() -> client.addService(VirtualService.of(missing, "rr").withPersistenceEngine("nope"))));
    assertEquals(ESRCH.number(), errno(() -> client.updateService(VirtualService.of(missing, "rr"))));
    assertEquals(ESRCH.number(), errno(() -> client.deleteService(missing)));
    assertEquals(ESRCH.number(), errno(() -> client.service(missing)));
    assertEquals(ESRCH.number(), errno(() -> client.addRealServer(missing, r)));
    assertEquals(ESRCH.number(), errno(() -> client.zero(missing)));
    assertEquals(EEXIST.number(), errno(() -> client.addRealServer(key, r)));
    RealServer other = server("203.0.113.99", 80, 1, ForwardingMethod.NAT);
    assertEquals(ENOENT.number(), errno(() -> client.updateRealServer(key, other)));
    assertEquals(ENOENT.number(), errno(() -> client.deleteRealServer(key, other.endpoint())));
    assertEquals(ERANGE.number(), errno(() -> client.addRealServer(key, other.withThresholds(5, 10))));
    assertEquals(EINVAL.number(), errno(() -> client.addRealServer(key,
        other.withForwarding(ForwardingMethod.TUN).withTunnel(TunnelType.GUE, 0, 0))));

    // nothing of the refused ops reached the table
    assertEquals(List.of("-A -t 198.51.100.1:80 -s rr", "-a -t 198.51.100.1:80 -r 203.0.113.10:80 -m -w 1"),
        ns.saved());
  }

  @Test
  void timeoutsAreReadAndSetAsIpvsadmShowsThem() {
    try {
      assertEquals(new IpvsTimeouts(900, 120, 300), client.timeouts());
      assertEquals("Timeout (tcp tcpfin udp): 900 120 300\n", ns.text("-L", "--timeout"));

      client.setTimeouts(new IpvsTimeouts(7200, 0, 60)); // 0 leaves tcpfin as it is

      assertEquals(new IpvsTimeouts(7200, 120, 60), client.timeouts());
      assertEquals("Timeout (tcp tcpfin udp): 7200 120 60\n", ns.text("-L", "--timeout"));
      ns.ipvsadm("--set", "10", "20", "30").orThrow();
      assertEquals(new IpvsTimeouts(10, 20, 30), client.timeouts());
    } finally {
      client.setTimeouts(new IpvsTimeouts(900, 120, 300));
    }
  }

  @Test
  void syncDaemonsStartAndStopAsIpvsadmShowsThem() throws Exception {
    ns.sh("ip link show sync0 >/dev/null 2>&1 || ip link add sync0 type dummy; ip link set sync0 multicast on up");
    try {
      // the newer attributes (kernel >= 4.3): maxlen, group, port, TTL
      client.startDaemon(new SyncDaemon(SyncDaemon.State.MASTER, "sync0", 5, 1400,
          InetAddress.getByName("239.1.1.1"), 8849, 2));
      client.startDaemon(SyncDaemon.of(SyncDaemon.State.BACKUP, "sync0", 9));

      // the kernel fills in the defaults: maxlen from the MTU (1500 - 28), 224.0.0.81:8848, TTL 1
      assertEquals(Set.of(
              new SyncDaemon(SyncDaemon.State.MASTER, "sync0", 5, 1400, InetAddress.getByName("239.1.1.1"), 8849, 2),
              new SyncDaemon(SyncDaemon.State.BACKUP, "sync0", 9, 1472, InetAddress.getByName("224.0.0.81"), 8848, 1)),
          new HashSet<>(client.daemons()));
      assertEquals("master sync daemon (mcast=sync0, syncid=5, maxlen=1400, group=239.1.1.1, port=8849, ttl=2)\n"
              + "backup sync daemon (mcast=sync0, syncid=9, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n",
          ns.text("-L", "--daemon"));
      assertEquals(EEXIST.number(),
          errno(() -> client.startDaemon(SyncDaemon.of(SyncDaemon.State.MASTER, "sync0", 1))));
    } finally {
      client.stopDaemon(SyncDaemon.State.MASTER);
      client.stopDaemon(SyncDaemon.State.BACKUP);
    }
    assertEquals(List.of(), client.daemons());
    assertEquals("", ns.text("-L", "--daemon"));
    assertEquals(ESRCH.number(), errno(() -> client.stopDaemon(SyncDaemon.State.BACKUP)));
  }

  @Test
  void flushEmptiesTheTableIpvsadmLoaded() {
    ns.restore(
        "-A -t 198.51.100.1:80 -s rr",
        "-a -t 198.51.100.1:80 -r 203.0.113.10:80 -m",
        "-A -f 9 -6 -s sh",
        "-A -u [2001:db8::1]:53 -s wrr");
    assertEquals(3, client.services().size());

    client.flush();

    assertEquals(List.of(), client.services());
    assertEquals(List.of(), ns.saved());
  }

  /**
   * Local clients go through ip_vs too (its LOCAL_OUT hook): a few TCP connection attempts from
   * the namespace to a NAT service whose real server is a local address of the namespace.
   */
  @Test
  void statsCountTrafficAsIpvsadmShowsThemAndZeroClearsThem() {
    ns.sh("ip addr replace 198.51.100.1/32 dev lo && ip addr replace 203.0.113.10/32 dev lo");
    ServiceKey key = tcp("198.51.100.1", 80);
    client.addService(VirtualService.of(key, "rr"));
    client.addRealServer(key, server("203.0.113.10", 80, 1, ForwardingMethod.NAT));
    ns.sh("for i in 1 2 3; do timeout 10 bash -c 'exec 3<>/dev/tcp/198.51.100.1/80' 2>/dev/null; done; true");

    IpvsService s = awaitConnections(key, 3);
    IpvsDestination d = client.destinations(key).get(0);
    assertTrue(s.stats().inPackets() >= 3, s::toString);
    // observed on 6.1: a local real server keeps its forwarding method (no LOCALNODE, no "Local")
    assertEquals(ForwardingMethod.NAT, d.realServer().forwarding(), d::toString);
    assertEquals(s.stats().connections(), d.stats().connections());
    assertEquals(statsLines(s, d), ns.text("-Ln", "--stats", "--exact"));

    client.zero(key);

    IpvsService zeroed = awaitConnections(key, 0);
    assertEquals(0, zeroed.stats().inPackets());
    assertEquals(0, client.destinations(key).get(0).stats().inBytes());
    assertEquals(statsLines(zeroed, client.destinations(key).get(0)), ns.text("-Ln", "--stats", "--exact"));
    ns.sh("timeout 10 bash -c 'exec 3<>/dev/tcp/198.51.100.1/80' 2>/dev/null; true");
    awaitConnections(key, 1);

    client.zero();

    awaitConnections(key, 0);
  }

  /**
   * The service once its counters show {@code connections}. ip_vs 6.1 reports the sums its
   * estimator folds from the per-CPU counters every 2 s, so a read right after traffic (or after
   * a zero) still shows the previous figures (observed in the VM).
   */
  private static IpvsService awaitConnections(ServiceKey key, long connections) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      IpvsService s = client.service(key);
      if (s.stats().connections() == connections || System.nanoTime() > deadline) {
        assertEquals(connections, s.stats().connections(), s::toString);
        return s;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** ipvsadm 1.31's -Ln --stats --exact of one service with one real server (print_largenum). */
  private static String statsLines(IpvsService s, IpvsDestination d) {
    IpvsStats a = s.stats();
    IpvsStats b = d.stats();
    IpvsInfo info = client.info();
    return "IP Virtual Server version 1.2.1 (size=" + info.connectionTableSize() + ")\n"
        + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
        + "  -> RemoteAddress:Port\n"
        + String.format("%-33s%9d%9d%9d%9d%9d%n", "TCP  198.51.100.1:80", a.connections(), a.inPackets(),
            a.outPackets(), a.inBytes(), a.outBytes())
        + String.format("  -> %-28s%9d%9d%9d%9d%9d%n", "203.0.113.10:80", b.connections(), b.inPackets(),
            b.outPackets(), b.inBytes(), b.outBytes());
  }
}
