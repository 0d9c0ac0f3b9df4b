package io.ha4j.ipvs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.TableException;
import io.ha4j.ipvs.IpvsDestination;
import io.ha4j.ipvs.IpvsException;
import io.ha4j.ipvs.IpvsInfo;
import io.ha4j.ipvs.IpvsService;
import io.ha4j.ipvs.IpvsTimeouts;
import io.ha4j.ipvs.SyncDaemon;
import io.ha4j.linux.Errno;
import io.ha4j.netlink.Attributes;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkMessage;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our encoding of the same requests ipvsadm 1.31 sent to a 6.1 kernel, and our decoding of that
 * kernel's replies (captured vectors/ipvs-ipvsadm-netlink.hex). Sequence and port id are taken
 * from the capture, so whole messages are compared where libipvs and we send the same attributes.
 */
class IpvsVectorTest {

  static final int FAMILY = 0x20; // the IPVS family id the controller returned in the capture
  static Map<String, List<CapturedVectors.Frame>> vectors;

  @BeforeAll
  static void load() throws Exception {
    vectors = CapturedVectors.load();
  }

  static List<CapturedVectors.Frame> section(String name) {
    List<CapturedVectors.Frame> f = vectors.get(name);
    if (f == null) {
      throw new AssertionError("no section '" + name + "' in " + vectors.keySet());
    }
    return CapturedVectors.ipvs(f, FAMILY);
  }

  static CapturedVectors.Frame ipvsRequest(String name, int index) {
    // ipvsadm asks GET_INFO before every command; skip those.
    return section(name).stream().filter(CapturedVectors.Frame::request)
        .filter(f -> f.message().genlCommand() != IpvsWire.CMD_GET_INFO).skip(index).findFirst().orElseThrow();
  }

  /** Our bytes for {@code m} numbered like the captured request, against the captured bytes. */
  static void assertSameAsIpvsadm(String name, int index, MessageBuilder m) {
    CapturedVectors.Frame f = ipvsRequest(name, index);
    NetlinkMessage theirs = f.message();
    m.addFlags(theirs.flags());
    assertEquals(f.hex(), CapturedVectors.hex(m.build(theirs.sequence(), theirs.portId())), name);
  }

  static ServiceKey tcp80() throws Exception {
    return ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100.10"), 80);
  }

  static ServiceKey udp53() throws Exception {
    return ServiceKey.of(Protocol.UDP, InetAddress.getByName("2001:db8::1"), 53);
  }

  @Test
  void serviceRequestsMatchIpvsadmByteForByte() throws Exception {
    assertSameAsIpvsadm("ipvsadm -A -t 198.51.100.10:80 -s rr", 0,
        IpvsCodec.newService(FAMILY, VirtualService.of(tcp80(), "rr")));
    assertSameAsIpvsadm("ipvsadm -E -t 198.51.100.10:443 -s wlc", 0, IpvsCodec.setService(FAMILY,
        VirtualService.of(ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100.10"), 443), "wlc")));
    assertSameAsIpvsadm("ipvsadm -A -u [2001:db8::1]:53 -s sh -b sh-port -p 600", 0, IpvsCodec.newService(FAMILY,
        new VirtualService(udp53(), "sh", Set.of(ServiceFlag.SCHED2), 600, 128, null)));
    assertSameAsIpvsadm("ipvsadm -A -f 42 -s mh", 0,
        IpvsCodec.newService(FAMILY, VirtualService.of(ServiceKey.fwmark(42, AddressFamily.INET), "mh")));
  }

  @Test
  void listingAndConfigRequestsMatchIpvsadmByteForByte() throws Exception {
    assertSameAsIpvsadm("ipvsadm -Ln", 0, IpvsCodec.dumpServices(FAMILY));
    assertSameAsIpvsadm("ipvsadm -Ln", 1, IpvsCodec.dumpDests(FAMILY, tcp80()));
    assertSameAsIpvsadm("ipvsadm -Ln", 2, IpvsCodec.dumpDests(FAMILY, udp53()));
    assertSameAsIpvsadm("ipvsadm -Ln", 3, IpvsCodec.dumpDests(FAMILY, ServiceKey.fwmark(42, AddressFamily.INET)));
    assertSameAsIpvsadm("ipvsadm --set 900 120 300", 0, IpvsCodec.setConfig(FAMILY, new IpvsTimeouts(900, 120, 300)));
    assertSameAsIpvsadm("ipvsadm -L --timeout", 0, IpvsCodec.getConfig(FAMILY));
    assertSameAsIpvsadm("ipvsadm --start-daemon master --mcast-interface lo --syncid 7", 0,
        IpvsCodec.newDaemon(FAMILY, SyncDaemon.of(SyncDaemon.State.MASTER, "lo", 7)));
    assertSameAsIpvsadm("ipvsadm -L --daemon", 0, IpvsCodec.dumpDaemons(FAMILY));
    assertSameAsIpvsadm("ipvsadm -Z", 0, IpvsCodec.zero(FAMILY, null));
    assertSameAsIpvsadm("ipvsadm -C", 0, IpvsCodec.flush(FAMILY));
  }

  /**
   * libipvs puts a whole service (empty scheduler, flags, timeout, netmask) next to a destination;
   * the kernel reads only the key there, and so do we: compare the destination nests.
   */
  @Test
  void destinationNestsMatchIpvsadm() throws Exception {
    RealServer masq = new RealServer(InetAddress.getByName("203.0.113.1"), 8080, 5, ForwardingMethod.NAT, 100, 10,
        TunnelType.IPIP, 0, 0);
    assertDestNest("ipvsadm -a -t 198.51.100.10:80 -r 203.0.113.1:8080 -m -w 5 -x 100 -y 10",
        IpvsCodec.newDest(FAMILY, tcp80(), masq));
    RealServer tun = new RealServer(InetAddress.getByName("2001:db8::2"), 53, 2, ForwardingMethod.TUN, 0, 0,
        TunnelType.GUE, 6080, 0);
    assertDestNest("ipvsadm -a -u [2001:db8::1]:53 -r [2001:db8::2]:53 -i -w 2 --tun-type gue --tun-port 6080",
        IpvsCodec.newDest(FAMILY, udp53(), tun));
  }

  static void assertDestNest(String name, MessageBuilder ours) {
    NetlinkMessage theirs = ipvsRequest(name, 0).message();
    NetlinkMessage mine = NetlinkMessage.parseAll(ours.addFlags(5).build(1, 1)).get(0);
    assertEquals(theirs.genlCommand(), mine.genlCommand());
    assertEquals(CapturedVectors.hex(theirs.attributes(4).raw(IpvsWire.CMD_ATTR_DEST)),
        CapturedVectors.hex(mine.attributes(4).raw(IpvsWire.CMD_ATTR_DEST)), name);
    // The service nest differs only by what the kernel ignores for destinations.
    Attributes theirService = theirs.attributes(4).nested(IpvsWire.CMD_ATTR_SERVICE);
    Attributes myService = mine.attributes(4).nested(IpvsWire.CMD_ATTR_SERVICE);
    for (int t : myService.types()) {
      assertEquals(CapturedVectors.hex(theirService.raw(t)), CapturedVectors.hex(myService.raw(t)), name + " service attr " + t);
    }
  }

  @Test
  void deletesCarryTheSameKeysAsIpvsadm() throws Exception {
    NetlinkMessage theirs = ipvsRequest("ipvsadm -D -t 198.51.100.10:80", 0).message();
    assertEquals(IpvsWire.CMD_DEL_SERVICE, theirs.genlCommand());
    Attributes theirKey = theirs.attributes(4).nested(IpvsWire.CMD_ATTR_SERVICE);
    NetlinkMessage myDel = NetlinkMessage.parseAll(IpvsCodec.delService(FAMILY, tcp80()).build(1, 1)).get(0);
    Attributes myKey = myDel.attributes(4).nested(IpvsWire.CMD_ATTR_SERVICE);
    assertEquals(Set.of(1, 2, 3, 4), myKey.types());
    for (int t : myKey.types()) {
      assertEquals(CapturedVectors.hex(theirKey.raw(t)), CapturedVectors.hex(myKey.raw(t)), "DEL_SERVICE attr " + t);
    }
    NetlinkMessage delDest = ipvsRequest("ipvsadm -d -t 198.51.100.10:80 -r 203.0.113.9:80", 0).message();
    Attributes d = delDest.attributes(4).nested(IpvsWire.CMD_ATTR_DEST);
    NetlinkMessage mine = NetlinkMessage.parseAll(IpvsCodec.delDest(FAMILY, tcp80(),
        new RealServer.Endpoint(InetAddress.getByName("203.0.113.9"), 80)).build(1, 1)).get(0);
    Attributes md = mine.attributes(4).nested(IpvsWire.CMD_ATTR_DEST);
    for (int t : md.types()) {
      assertEquals(CapturedVectors.hex(d.raw(t)), CapturedVectors.hex(md.raw(t)), "DEL_DEST attr " + t);
    }
  }

  @Test
  void decodesInfoConfigAndDaemonReplies() throws Exception {
    NetlinkMessage info = section("ipvsadm -A -t 198.51.100.10:80 -s rr").stream()
        .filter(f -> !f.request()).map(CapturedVectors.Frame::message)
        .filter(m -> m.type() == FAMILY).findFirst().orElseThrow();
    assertEquals(new IpvsInfo(0x010201, 4096), IpvsCodec.decodeInfo(info));
    assertEquals("1.2.1", IpvsCodec.decodeInfo(info).versionString());

    NetlinkMessage config = replies("ipvsadm -L --timeout").get(0);
    assertEquals(new IpvsTimeouts(900, 120, 300), IpvsCodec.decodeConfig(config));

    NetlinkMessage daemon = replies("ipvsadm -L --daemon").get(0);
    assertEquals(new SyncDaemon(SyncDaemon.State.MASTER, "lo", 7, 1472, InetAddress.getByName("224.0.0.81"), 8848, 1),
        IpvsCodec.decodeDaemon(daemon));
  }

  /** The IPVS-family data replies of a section (after its GET_INFO exchange). */
  static List<NetlinkMessage> replies(String name) {
    List<NetlinkMessage> all = section(name).stream().filter(f -> !f.request()).map(CapturedVectors.Frame::message)
        .filter(m -> m.type() == FAMILY).toList();
    return all.subList(1, all.size()); // the first is GET_INFO's answer
  }

  @Test
  void decodesServiceDumpWithStats() throws Exception {
    List<NetlinkMessage> parts = replies("ipvsadm -Ln --stats").stream()
        .filter(m -> m.genlCommand() == IpvsWire.CMD_NEW_SERVICE).toList();
    assertEquals(3, parts.size());
    IpvsService tcp = IpvsCodec.decodeService(parts.get(0));
    assertEquals(VirtualService.of(tcp80(), "rr"), tcp.service());
    assertEquals(IpvsWire.SVC_F_HASHED, tcp.kernelFlags());
    IpvsService udp = IpvsCodec.decodeService(parts.get(1));
    assertEquals(new VirtualService(udp53(), "sh", Set.of(ServiceFlag.SCHED2), 600, 128, null), udp.service());
    assertEquals(0x13, udp.kernelFlags());
    IpvsService fw = IpvsCodec.decodeService(parts.get(2));
    assertEquals(VirtualService.of(ServiceKey.fwmark(42, AddressFamily.INET), "mh"), fw.service());
    assertEquals(0, tcp.stats().connections());
  }

  @Test
  void decodesDestinationDumps() throws Exception {
    List<NetlinkMessage> dests = replies("ipvsadm -Ln").stream()
        .filter(m -> m.genlCommand() == IpvsWire.CMD_NEW_DEST).toList();
    assertEquals(2, dests.size());
    IpvsDestination masq = IpvsCodec.decodeDest(dests.get(0), AddressFamily.INET);
    assertEquals(new RealServer(InetAddress.getByName("203.0.113.1"), 8080, 5, ForwardingMethod.NAT, 100, 10,
        TunnelType.IPIP, 0, 0), masq.realServer());
    assertFalse(masq.localNode());
    assertEquals(0, masq.activeConnections());
    IpvsDestination tun = IpvsCodec.decodeDest(dests.get(1), AddressFamily.INET6);
    assertEquals(new RealServer(InetAddress.getByName("2001:db8::2"), 53, 2, ForwardingMethod.TUN, 0, 0,
        TunnelType.GUE, 6080, 0), tun.realServer());
  }

  @Test
  void kernelErrorsMapToTypedExceptions() throws Exception {
    assertErrno("ipvsadm -A -t 198.51.100.10:80 -s rr #2", Errno.EEXIST.number(), TableException.Reason.EXISTS);
    assertErrno("ipvsadm -E -t 198.51.100.10:443 -s wlc", Errno.ESRCH.number(), TableException.Reason.NO_SUCH_SERVICE);
    assertErrno("ipvsadm -d -t 198.51.100.10:80 -r 203.0.113.9:80", Errno.ENOENT.number(), TableException.Reason.NOT_FOUND);
  }

  static void assertErrno(String name, int errno, TableException.Reason reason) {
    NetlinkMessage err = section(name).stream().filter(f -> !f.request()).map(CapturedVectors.Frame::message)
        .filter(m -> m.isError() && m.payload().getInt(0) != 0).findFirst().orElseThrow();
    var e = NetlinkConnection.errorOf(err);
    assertEquals(errno, e.errno());
    assertNull(e.extendedAck());
    IpvsException ipvs = IpvsException.of("op", e);
    assertEquals(reason, ipvs.reason());
    assertTrue(ipvs.getMessage().contains("errno " + errno), ipvs.getMessage());
  }
}
