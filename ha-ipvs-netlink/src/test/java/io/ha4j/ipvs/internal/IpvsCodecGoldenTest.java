package io.ha4j.ipvs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.api.AddressFamily;
import io.ha4j.ipvs.IpvsTimeouts;
import io.ha4j.ipvs.SyncDaemon;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every IPVS request against bytes worked out by hand from include/uapi/linux/ip_vs.h and
 * linux/netlink.h (little-endian host; ports and IPv4 netmasks in network order). Family id 0x20,
 * sequence 1, port id 0 throughout.
 */
class IpvsCodecGoldenTest {

  static final int F = 0x20;

  @BeforeAll
  static void littleEndianHost() {
    assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "hand bytes are little endian");
  }

  static String req(MessageBuilder m) {
    return CapturedVectors.hex(m.addFlags(Netlink.F_REQUEST | Netlink.F_ACK).build(1, 0));
  }

  static String dump(MessageBuilder m) {
    return CapturedVectors.hex(m.addFlags(Netlink.F_REQUEST | Netlink.F_ACK | Netlink.F_DUMP).build(1, 0));
  }

  static String h(String s) {
    return s.replaceAll("[\\s|]", "");
  }

  static final String TCP_V4_KEY_NEST = ""
      + "3000 0180" //                   CMD_ATTR_SERVICE (1) | NLA_F_NESTED, len 48
      + "0600 0100 0200 0000" //         SVC_AF (1) u16 = AF_INET (2), 2 pad
      + "0600 0200 0600 0000" //         SVC_PROTOCOL (2) u16 = IPPROTO_TCP (6)
      + "1400 0300 c633640a 00000000 00000000 00000000" // SVC_ADDR (3) 16 bytes: 198.51.100.10
      + "0600 0400 0050 0000"; //        SVC_PORT (4) __be16 = 80

  static ServiceKey tcp80() throws Exception {
    return ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100.10"), 80);
  }

  @Test
  void newServiceWithEveryServiceAttribute() throws Exception {
    VirtualService s = new VirtualService(
        ServiceKey.of(Protocol.UDP, InetAddress.getByName("198.51.100.100"), 5000), "wlc",
        Set.of(ServiceFlag.ONE_PACKET, ServiceFlag.SCHED1), 300, 24, "sip");
    assertEquals(h(""
        + "70000000 2000 0500 01000000 00000000" // nlmsghdr: len 112, type 0x20, REQUEST|ACK, seq 1, pid 0
        + "01 01 0000" //                           genlmsghdr: IPVS_CMD_NEW_SERVICE (1), version 1
        + "5c00 0180" //                            CMD_ATTR_SERVICE nested, len 92
        + "0600 0100 0200 0000" //                  SVC_AF = AF_INET
        + "0600 0200 1100 0000" //                  SVC_PROTOCOL = IPPROTO_UDP (17)
        + "1400 0300 c6336464 00000000 00000000 00000000" // SVC_ADDR = 198.51.100.100
        + "0600 0400 1388 0000" //                  SVC_PORT = 5000 big endian
        + "0800 0600 776c6300" //                   SVC_SCHED_NAME "wlc\0"
        + "0800 0b00 73697000" //                   SVC_PE_NAME (11) "sip\0"
        + "0c00 0700 0d000000 ffffffff" //          SVC_FLAGS {flags = PERSISTENT|ONEPACKET|SCHED1 = 0x0d, mask = ~0}
        + "0800 0800 2c010000" //                   SVC_TIMEOUT = 300
        + "0800 0900 ffffff00"), //                 SVC_NETMASK = 255.255.255.0 as __be32
        req(IpvsCodec.newService(F, s)));
  }

  @Test
  void setServiceIpv6NetmaskIsAPrefixLength() throws Exception {
    VirtualService s = new VirtualService(ServiceKey.fwmark(7, AddressFamily.INET6), "sh", Set.of(ServiceFlag.SCHED2), 60, 64, null);
    assertEquals(h(""
        + "4c000000 2000 0500 01000000 00000000" // len 76
        + "02 01 0000" //                           IPVS_CMD_SET_SERVICE (2)
        + "3800 0180" //                            service nest, len 56
        + "0600 0100 0a00 0000" //                  SVC_AF = AF_INET6 (10)
        + "0800 0500 07000000" //                   SVC_FWMARK (5) = 7
        + "0700 0600 73680000" //                   SVC_SCHED_NAME "sh\0" (len 7, 1 pad)
        + "0c00 0700 11000000 ffffffff" //          flags = PERSISTENT|SCHED2 (0x11)
        + "0800 0800 3c000000" //                   timeout 60
        + "0800 0900 40000000"), //                 netmask: IPv6 prefix length 64, native u32
        req(IpvsCodec.setService(F, s)));
  }

  @Test
  void deleteAndGetServiceSendOnlyTheKey() throws Exception {
    assertEquals(h("28000000 2000 0500 01000000 00000000" // len 40
        + "03 01 0000" //                                    IPVS_CMD_DEL_SERVICE (3)
        + "1400 0180" //                                     service nest, len 20
        + "0600 0100 0a00 0000" //                           AF_INET6
        + "0800 0500 07000000"), //                          fwmark 7
        req(IpvsCodec.delService(F, ServiceKey.fwmark(7, AddressFamily.INET6))));
    assertEquals(h("44000000 2000 0500 01000000 00000000" // len 68
        + "04 01 0000" + TCP_V4_KEY_NEST), //               IPVS_CMD_GET_SERVICE (4)
        req(IpvsCodec.getService(F, tcp80())));
  }

  @Test
  void dumpsWithoutAttributes() {
    // NLM_F_DUMP = ROOT|MATCH (0x300) on top of REQUEST|ACK.
    assertEquals(h("14000000 2000 0503 01000000 00000000 04 01 0000"), dump(IpvsCodec.dumpServices(F)));
    assertEquals(h("14000000 2000 0503 01000000 00000000 0b 01 0000"), dump(IpvsCodec.dumpDaemons(F)));
  }

  @Test
  void commandsWithoutAttributes() {
    assertEquals(h("14000000 2000 0500 01000000 00000000 0f 01 0000"), req(IpvsCodec.getInfo(F))); // GET_INFO 15
    assertEquals(h("14000000 2000 0500 01000000 00000000 0d 01 0000"), req(IpvsCodec.getConfig(F))); // GET_CONFIG 13
    assertEquals(h("14000000 2000 0500 01000000 00000000 10 01 0000"), req(IpvsCodec.zero(F, null))); // ZERO 16
    assertEquals(h("14000000 2000 0500 01000000 00000000 11 01 0000"), req(IpvsCodec.flush(F))); // FLUSH 17
  }

  @Test
  void zeroOneServiceAndDumpItsDestinations() throws Exception {
    assertEquals(h("44000000 2000 0500 01000000 00000000 10 01 0000" + TCP_V4_KEY_NEST),
        req(IpvsCodec.zero(F, tcp80())));
    assertEquals(h("44000000 2000 0503 01000000 00000000 08 01 0000" + TCP_V4_KEY_NEST), // GET_DEST 8
        dump(IpvsCodec.dumpDests(F, tcp80())));
  }

  @Test
  void newDestinationWithEveryDestinationAttribute() throws Exception {
    ServiceKey key = ServiceKey.of(Protocol.TCP, InetAddress.getByName("2001:db8::10"), 443);
    RealServer r = new RealServer(InetAddress.getByName("2001:db8::20"), 8443, 300, ForwardingMethod.TUN,
        1000, 0, TunnelType.GUE, 5555, 1);
    assertEquals(h(""
        + "a4000000 2000 0500 01000000 00000000" // len 164
        + "05 01 0000" //                           IPVS_CMD_NEW_DEST (5)
        + "3000 0180" //                            service key nest, len 48
        + "0600 0100 0a00 0000" //                  AF_INET6
        + "0600 0200 0600 0000" //                  TCP
        + "1400 0300 20010db8 00000000 00000000 00000010" // 2001:db8::10
        + "0600 0400 01bb 0000" //                  port 443
        + "6000 0280" //                            CMD_ATTR_DEST (2) nested, len 96
        + "0600 0b00 0a00 0000" //                  DEST_ADDR_FAMILY (11) = AF_INET6
        + "1400 0100 20010db8 00000000 00000000 00000020" // DEST_ADDR (1) 2001:db8::20
        + "0600 0200 20fb 0000" //                  DEST_PORT (2) = 8443 big endian
        + "0800 0300 02000000" //                   DEST_FWD_METHOD (3) = IP_VS_CONN_F_TUNNEL
        + "0800 0400 2c010000" //                   DEST_WEIGHT (4) = 300
        + "0500 0d00 01000000" //                   DEST_TUN_TYPE (13) u8 = GUE (1), 3 pad
        + "0600 0e00 15b3 0000" //                  DEST_TUN_PORT (14) __be16 = 5555
        + "0600 0f00 0100 0000" //                  DEST_TUN_FLAGS (15) u16 = CSUM (1)
        + "0800 0500 e8030000" //                   DEST_U_THRESH (5) = 1000
        + "0800 0600 00000000"), //                 DEST_L_THRESH (6) = 0
        req(IpvsCodec.newDest(F, key, r)));
  }

  @Test
  void setAndDeleteDestination() throws Exception {
    RealServer r = RealServer.of(InetAddress.getByName("203.0.113.9"), 80).withForwarding(ForwardingMethod.NAT).withWeight(0);
    assertEquals(h("a4000000 2000 0500 01000000 00000000 06 01 0000" + TCP_V4_KEY_NEST // SET_DEST (6)
        + "6000 0280"
        + "0600 0b00 0200 0000" //                  AF_INET
        + "1400 0100 cb007109 00000000 00000000 00000000" // 203.0.113.9
        + "0600 0200 0050 0000" //                  port 80
        + "0800 0300 00000000" //                   IP_VS_CONN_F_MASQ (0)
        + "0800 0400 00000000" //                   weight 0 (quiescent)
        + "0500 0d00 00000000" //                   tun type IPIP (0)
        + "0600 0e00 0000 0000" //                  tun port 0
        + "0600 0f00 0000 0000" //                  tun flags 0
        + "0800 0500 00000000 0800 0600 00000000"), // thresholds 0
        req(IpvsCodec.setDest(F, tcp80(), r)));
    assertEquals(h("6c000000 2000 0500 01000000 00000000 07 01 0000" + TCP_V4_KEY_NEST // DEL_DEST (7), len 108
        + "2800 0280" //                            dest nest, len 40
        + "0600 0b00 0200 0000"
        + "1400 0100 cb007109 00000000 00000000 00000000"
        + "0600 0200 0050 0000"),
        req(IpvsCodec.delDest(F, tcp80(), r.endpoint())));
  }

  @Test
  void setConfigTimeouts() {
    assertEquals(h("2c000000 2000 0500 01000000 00000000"
        + "0c 01 0000" //                           IPVS_CMD_SET_CONFIG (12)
        + "0800 0400 84030000" //                   CMD_ATTR_TIMEOUT_TCP (4) = 900
        + "0800 0500 78000000" //                   CMD_ATTR_TIMEOUT_TCP_FIN (5) = 120
        + "0800 0600 2c010000"), //                 CMD_ATTR_TIMEOUT_UDP (6) = 300
        req(IpvsCodec.setConfig(F, new IpvsTimeouts(900, 120, 300))));
  }

  @Test
  void syncDaemonWithEveryAttribute() throws Exception {
    SyncDaemon d = new SyncDaemon(SyncDaemon.State.BACKUP, "eth0", 9, 1400, InetAddress.getByName("239.1.2.3"), 8849, 3);
    assertEquals(h("54000000 2000 0500 01000000 00000000"
        + "09 01 0000" //                           IPVS_CMD_NEW_DAEMON (9)
        + "4000 0380" //                            CMD_ATTR_DAEMON (3) nested, len 64
        + "0800 0100 02000000" //                   DAEMON_STATE (1) = IP_VS_STATE_BACKUP (2)
        + "0900 0200 65746830 00000000" //          DAEMON_MCAST_IFN (2) "eth0\0", 3 pad
        + "0800 0300 09000000" //                   DAEMON_SYNC_ID (3) = 9
        + "0600 0400 7805 0000" //                  DAEMON_SYNC_MAXLEN (4) u16 = 1400
        + "0800 0500 ef010203" //                   DAEMON_MCAST_GROUP (5) 239.1.2.3 raw
        + "0600 0700 9122 0000" //                  DAEMON_MCAST_PORT (7) u16 in host order = 8849 (the kernel's c->mcast_port is host order)
        + "0500 0800 03000000"), //                 DAEMON_MCAST_TTL (8) u8 = 3
        req(IpvsCodec.newDaemon(F, d)));
    SyncDaemon v6 = new SyncDaemon(SyncDaemon.State.BACKUP, "eth1", 0, 0, InetAddress.getByName("ff02::81"), 0, 0);
    assertEquals(h("48000000 2000 0500 01000000 00000000 09 01 0000"
        + "3400 0380" //                            len 52
        + "0800 0100 02000000"
        + "0900 0200 65746831 00000000" //          "eth1"
        + "0800 0300 00000000" //                   sync id 0
        + "1400 0600 ff020000 00000000 00000000 00000081"), // DAEMON_MCAST_GROUP6 (6)
        req(IpvsCodec.newDaemon(F, v6)));
    assertEquals(h("20000000 2000 0500 01000000 00000000 0a 01 0000" // DEL_DAEMON (10)
        + "0c00 0380 0800 0100 01000000"), //       state MASTER only
        req(IpvsCodec.delDaemon(F, SyncDaemon.State.MASTER)));
  }
}
