package io.ha4j.ipvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.ipvs.IpvsDestination;
import io.ha4j.ipvs.IpvsInfo;
import io.ha4j.ipvs.IpvsService;
import io.ha4j.ipvs.IpvsStats;
import io.ha4j.ipvs.IpvsTimeouts;
import io.ha4j.ipvs.SyncDaemon;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Expected text follows ipvsadm 1.31's printf formats (ipvsadm.c print_title, print_service_entry
 * "  -> %-28s %-7s %-6d %-10u %-10u", print_largenum "%9llu"/"%8lluK"...; list_daemon), filled in
 * for the table of the captured vectors (vectors/ipvs-ipvsadm-netlink.hex). The format strings were
 * checked against those in Debian's ipvsadm 1.31 binary ({@code strings /usr/sbin/ipvsadm}); byte
 * equality with a running ipvsadm is checked separately inside the kernel VM.
 */
class IpvsadmFormatTest {

  static final IpvsInfo INFO = new IpvsInfo(0x010201, 4096);

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  static IpvsDestination dest(RealServer r, int active, int inactive, IpvsStats stats) {
    return new IpvsDestination(r, false, active, inactive, 0, stats);
  }

  /** The table the captured session built, in the kernel's (unsorted) order. */
  static List<IpvsadmFormat.Entry> capturedTable() throws Exception {
    IpvsService fw = new IpvsService(VirtualService.of(ServiceKey.fwmark(42, AddressFamily.INET), "mh"), 0x2, IpvsStats.ZERO);
    IpvsService udp = new IpvsService(new VirtualService(ServiceKey.of(Protocol.UDP, ip("2001:db8::1"), 53), "sh",
        Set.of(ServiceFlag.SCHED2), 600, 128, null), 0x13, IpvsStats.ZERO);
    IpvsService tcp = new IpvsService(VirtualService.of(ServiceKey.of(Protocol.TCP, ip("198.51.100.10"), 80), "rr"), 0x2,
        new IpvsStats(12, 345, 0, 123_456_789L, 5_000_000_000_000L, 1, 2, 3, 400_000_000L, 5));
    RealServer masq = new RealServer(ip("203.0.113.1"), 8080, 5, ForwardingMethod.NAT, 100, 10, TunnelType.IPIP, 0, 0);
    RealServer route = RealServer.of(ip("203.0.113.2"), 8080);
    RealServer tun = new RealServer(ip("2001:db8::2"), 53, 2, ForwardingMethod.TUN, 0, 0, TunnelType.GUE, 6080, 0);
    return List.of(
        new IpvsadmFormat.Entry(fw, List.of()),
        new IpvsadmFormat.Entry(udp, List.of(dest(tun, 0, 0, IpvsStats.ZERO))),
        new IpvsadmFormat.Entry(tcp, List.of(dest(route, 7, 3, IpvsStats.ZERO),
            dest(masq, 0, 0, new IpvsStats(1, 2, 3, 4, 5, 0, 0, 0, 0, 0)))));
  }

  @Test
  void listNumeric() throws Exception {
    assertEquals(""
        + "IP Virtual Server version 1.2.1 (size=4096)\n"
        + "Prot LocalAddress:Port Scheduler Flags\n"
        + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
        + "TCP  198.51.100.10:80 rr\n"
        + "  -> 203.0.113.1:8080             Masq    5      0          0         \n"
        + "  -> 203.0.113.2:8080             Route   1      7          3         \n"
        + "UDP  [2001:db8::1]:53 sh (sh-port) persistent 600\n"
        + "  -> [2001:db8::2]:53             Tunnel  2      0          0         \n"
        + "FWM  42 mh\n",
        IpvsadmFormat.list(INFO, capturedTable(), IpvsadmFormat.Columns.DEFAULT, false));
  }

  @Test
  void listStatsAbbreviatesLargeNumbersUnlessExact() throws Exception {
    String stats = IpvsadmFormat.list(INFO, capturedTable(), IpvsadmFormat.Columns.STATS, false);
    assertEquals(List.of(
        "IP Virtual Server version 1.2.1 (size=4096)",
        "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes",
        "  -> RemoteAddress:Port",
        "TCP  198.51.100.10:80                   12      345        0  123456K    5000G",
        "  -> 203.0.113.1:8080                    1        2        3        4        5"),
        stats.lines().limit(5).toList());
    String exact = IpvsadmFormat.list(INFO, capturedTable(), IpvsadmFormat.Columns.STATS, true);
    assertEquals("TCP  198.51.100.10:80                   12      345        0 123456789 5000000000000",
        exact.lines().skip(3).findFirst().orElseThrow());
  }

  @Test
  void listRateThresholdsAndPersistentConnections() throws Exception {
    String rate = IpvsadmFormat.list(INFO, capturedTable(), IpvsadmFormat.Columns.RATE, false);
    assertEquals(List.of(
        "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS",
        "  -> RemoteAddress:Port",
        "TCP  198.51.100.10:80                    1        2        3  400000K        5",
        // a destination's CPS/InPPS/OutPPS are "%8llu", never abbreviated
        "  -> 203.0.113.1:8080                    0        0        0        0        0"),
        rate.lines().skip(1).limit(4).toList());
    String thresholds = IpvsadmFormat.list(INFO, capturedTable(), IpvsadmFormat.Columns.THRESHOLDS, false);
    assertEquals("  -> 203.0.113.1:8080             100        10         0          0         ",
        thresholds.lines().skip(4).findFirst().orElseThrow());
    // "%-33s %-10s %-10s %-10s %-10s": the last column keeps its padding.
    assertEquals("Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn ",
        thresholds.lines().skip(1).findFirst().orElseThrow());
    String persistent = IpvsadmFormat.list(INFO, capturedTable(), IpvsadmFormat.Columns.PERSISTENT_CONN, false);
    assertEquals("Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn ",
        persistent.lines().skip(1).findFirst().orElseThrow());
  }

  @Test
  void saveRules() throws Exception {
    assertEquals(""
        + "-A -t 198.51.100.10:80 -s rr\n"
        + "-a -t 198.51.100.10:80 -r 203.0.113.1:8080 -m -w 5\n" // ipvsadm 1.31 saves no -x/-y
        + "-a -t 198.51.100.10:80 -r 203.0.113.2:8080 -g -w 1\n"
        // -b after -p/-M/--pe/-o: the order of those format strings in ipvsadm 1.31's binary.
        + "-A -u [2001:db8::1]:53 -s sh -p 600 -b sh-port\n"
        + "-a -u [2001:db8::1]:53 -r [2001:db8::2]:53 -i -w 2 --tun-type gue --tun-port 6080 --tun-nocsum\n"
        + "-A -f 42 -s mh\n",
        IpvsadmFormat.save(capturedTable()));
  }

  @Test
  void persistenceMaskOpsAndEngine() throws Exception {
    IpvsService s = new IpvsService(new VirtualService(ServiceKey.of(Protocol.UDP, ip("198.51.100.5"), 5060), "wlc",
        Set.of(ServiceFlag.ONE_PACKET), 300, 24, "sip"), 0x7, IpvsStats.ZERO);
    List<IpvsadmFormat.Entry> t = List.of(new IpvsadmFormat.Entry(s, List.of()));
    assertEquals("UDP  198.51.100.5:5060 wlc persistent 300 mask 255.255.255.0 pe sip ops",
        IpvsadmFormat.list(INFO, t, IpvsadmFormat.Columns.DEFAULT, false).lines().skip(3).findFirst().orElseThrow());
    assertEquals("-A -u 198.51.100.5:5060 -s wlc -p 300 -M 255.255.255.0 --pe sip -o\n", IpvsadmFormat.save(t));
  }

  @Test
  void sctpNameFillsTheProtocolColumn() throws Exception {
    // "%-4s %s": TCP and UDP get two spaces, SCTP one.
    IpvsService s = new IpvsService(VirtualService.of(ServiceKey.of(Protocol.SCTP, ip("198.51.100.20"), 3868), "rr"), 0x2,
        IpvsStats.ZERO);
    List<IpvsadmFormat.Entry> t = List.of(new IpvsadmFormat.Entry(s, List.of()));
    assertEquals("SCTP 198.51.100.20:3868 rr", IpvsadmFormat.list(INFO, t, IpvsadmFormat.Columns.DEFAULT, false)
        .lines().skip(3).findFirst().orElseThrow());
    assertEquals("-A --sctp-service 198.51.100.20:3868 -s rr\n", IpvsadmFormat.save(t));
  }

  @Test
  void tunnelChecksumOptions() throws Exception {
    IpvsService s = new IpvsService(VirtualService.of(ServiceKey.fwmark(3, AddressFamily.INET), "rr"), 0x2, IpvsStats.ZERO);
    RealServer gre = new RealServer(ip("203.0.113.7"), 0, 1, ForwardingMethod.TUN, 0, 0, TunnelType.GRE, 0, 1);
    RealServer ipip = new RealServer(ip("203.0.113.8"), 0, 1, ForwardingMethod.TUN, 0, 0, TunnelType.IPIP, 0, 0);
    List<IpvsadmFormat.Entry> t = List.of(new IpvsadmFormat.Entry(s,
        List.of(dest(gre, 0, 0, IpvsStats.ZERO), dest(ipip, 0, 0, IpvsStats.ZERO))));
    assertEquals("-A -f 3 -s rr\n"
        + "-a -f 3 -r 203.0.113.7:0 -i -w 1 --tun-type gre --tun-csum\n"
        + "-a -f 3 -r 203.0.113.8:0 -i -w 1 --tun-type ipip\n", IpvsadmFormat.save(t));
  }

  // observed in the kernel VM: ipvsadm 1.31 prints marks with "%d", sorts them as signed ints
  // (ipvs_cmp_services) and lists one service (-Ln -f 8) without the version line
  @Test
  void marksFrom2To31UpAreNegativeAsIpvsadmPrintsThem() throws Exception {
    IpvsService big = new IpvsService(VirtualService.of(ServiceKey.fwmark(-1, AddressFamily.INET), "rr"), 0x2, IpvsStats.ZERO);
    IpvsService small = new IpvsService(VirtualService.of(ServiceKey.fwmark(8, AddressFamily.INET6), "mh"), 0x2, IpvsStats.ZERO);
    List<IpvsadmFormat.Entry> t = List.of(new IpvsadmFormat.Entry(small, List.of()), new IpvsadmFormat.Entry(big, List.of()));

    assertEquals("-A -f -1 -s rr\n-A -f 8 -6 -s mh\n", IpvsadmFormat.save(t));
    assertEquals("Prot LocalAddress:Port Scheduler Flags\n"
        + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
        + "FWM  8 IPv6 mh\n", IpvsadmFormat.listWithoutVersion(t.subList(0, 1), IpvsadmFormat.Columns.DEFAULT, false));
    assertEquals(-1, ((ServiceKey.FirewallMark) ((IpvsadmCommand.DeleteService)
        IpvsadmCommand.parse(List.of("-D", "-f", "-1")).command()).key()).mark());
  }

  @Test
  void timeoutsAndDaemons() throws Exception {
    assertEquals("Timeout (tcp tcpfin udp): 900 120 300\n", IpvsadmFormat.timeouts(new IpvsTimeouts(900, 120, 300)));
    assertEquals("master sync daemon (mcast=lo, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n",
        IpvsadmFormat.daemons(List.of(new SyncDaemon(SyncDaemon.State.MASTER, "lo", 7, 1472, ip("224.0.0.81"), 8848, 1))));
  }

  @Test
  void ipv6AddressesAsInetNtopWritesThem() throws Exception {
    // glibc inet_ntop6 / RFC 5952: longest zero run compressed, a single zero group kept.
    assertEquals("2001:db8::1", IpvsadmFormat.numeric(ip("2001:0db8:0:0:0:0:0:1")));
    assertEquals("2001:db8:0:1:1:1:1:1", IpvsadmFormat.numeric(ip("2001:db8:0:1:1:1:1:1")));
    assertEquals("2001:0:0:1::1", IpvsadmFormat.numeric(ip("2001:0:0:1:0:0:0:1")));
    assertEquals("::", IpvsadmFormat.numeric(ip("::")));
    assertEquals("fe80::", IpvsadmFormat.numeric(ip("fe80::")));
    assertEquals("::1.2.3.4", IpvsadmFormat.numeric(ip("::102:304")));
  }
}
