package io.ha4j.ipvs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.ipvs.IpvsDestination;
import io.ha4j.ipvs.IpvsService;
import io.ha4j.ipvs.IpvsStats;
import io.ha4j.netlink.NetlinkMessage;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * Replies laid out by hand from include/uapi/linux/ip_vs.h with a distinct value in every counter,
 * so that a swapped attribute number shows (the captured dumps have all counters at zero).
 */
class IpvsReplyDecodingTest {

  static NetlinkMessage message(String hex) {
    return NetlinkMessage.parseAll(CapturedVectors.buffer(hex)).get(0);
  }

  @Test
  void serviceWithStats64() throws Exception {
    NetlinkMessage m = message(""
        + "e4000000 2000 0200 01000000 00000000" // len 228, IPVS family, NLM_F_MULTI
        + "01 01 0000" //                           IPVS_CMD_NEW_SERVICE
        + "d000 0100" //                            CMD_ATTR_SERVICE len 208 (no NLA_F_NESTED from the kernel)
        + "0600 0100 0200 0000" //                  AF_INET
        + "0600 0200 0600 0000" //                  TCP
        + "1400 0300 c633640a 00000000 00000000 00000000" // 198.51.100.10
        + "0600 0400 0050 0000" //                  port 80
        + "0700 0600 72720000" //                   "rr"
        + "0c00 0700 02000000 ffffffff" //          flags HASHED
        + "0800 0800 00000000" //                   timeout 0
        + "0800 0900 ffffffff" //                   netmask 255.255.255.255
        + "7c00 0c00" //                            SVC_STATS64 (12), len 124
        + "0c00 0100 0100000000000000" //           CONNS 1
        + "0c00 0200 0200000000000000" //           INPKTS 2
        + "0c00 0300 0300000000000000" //           OUTPKTS 3
        + "0c00 0400 0400000001000000" //           INBYTES 2^32 + 4
        + "0c00 0500 0500000000000000" //           OUTBYTES 5
        + "0c00 0600 0600000000000000" //           CPS 6
        + "0c00 0700 0700000000000000" //           INPPS 7
        + "0c00 0800 0800000000000000" //           OUTPPS 8
        + "0c00 0900 0900000000000000" //           INBPS 9
        + "0c00 0a00 0a00000000000000"); //         OUTBPS 10
    IpvsService s = IpvsCodec.decodeService(m);
    assertEquals(VirtualService.of(ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100.10"), 80), "rr"), s.service());
    assertEquals(new IpvsStats(1, 2, 3, (1L << 32) + 4, 5, 6, 7, 8, 9, 10), s.stats());
  }

  @Test
  void destinationWithConnectionCountsAnd32BitStats() throws Exception {
    NetlinkMessage m = message(""
        + "d0000000 2000 0200 01000000 00000000" // len 208
        + "05 01 0000" //                           IPVS_CMD_NEW_DEST
        + "bc00 0200" //                            CMD_ATTR_DEST len 188
        + "1400 0100 cb007101 00000000 00000000 00000000" // DEST_ADDR 203.0.113.1
        + "0600 0200 1f90 0000" //                  DEST_PORT 8080
        + "0800 0300 03000000" //                   FWD_METHOD DROUTE
        + "0800 0400 07000000" //                   WEIGHT 7
        + "0800 0500 c8000000" //                   U_THRESH 200
        + "0800 0600 14000000" //                   L_THRESH 20
        + "0800 0700 0b000000" //                   ACTIVE_CONNS 11
        + "0800 0800 0c000000" //                   INACT_CONNS 12
        + "0800 0900 0d000000" //                   PERSIST_CONNS 13
        + "0600 0b00 0200 0000" //                  ADDR_FAMILY AF_INET
        + "5c00 0a00" //                            DEST_STATS (10), len 92: u32 but the byte counters
        + "0800 0100 15000000" //                   CONNS 21
        + "0800 0200 16000000" //                   INPKTS 22
        + "0800 0300 ffffffff" //                   OUTPKTS 2^32-1 (unsigned)
        + "0c00 0400 1800000000000000" //           INBYTES u64 24
        + "0c00 0500 1900000000000000" //           OUTBYTES u64 25
        + "0800 0600 1a000000" //                   CPS 26
        + "0800 0700 1b000000" //                   INPPS 27
        + "0800 0800 1c000000" //                   OUTPPS 28
        + "0800 0900 1d000000" //                   INBPS 29
        + "0800 0a00 1e000000"); //                 OUTBPS 30
    IpvsDestination d = IpvsCodec.decodeDest(m, AddressFamily.INET);
    assertEquals(new RealServer(InetAddress.getByName("203.0.113.1"), 8080, 7, ForwardingMethod.DR, 200, 20,
        TunnelType.IPIP, 0, 0), d.realServer());
    assertEquals(11, d.activeConnections());
    assertEquals(12, d.inactiveConnections());
    assertEquals(13, d.persistentConnections());
    assertEquals(new IpvsStats(21, 22, 0xffffffffL, 24, 25, 26, 27, 28, 29, 30), d.stats());
  }

  @Test
  void localNodeForwardingIsReportedNotRejected() throws Exception {
    NetlinkMessage m = message(""
        + "44000000 2000 0200 01000000 00000000" // len 68
        + "05 01 0000"
        + "3000 0200" //                            dest nest len 48
        + "1400 0100 7f000001 00000000 00000000 00000000" // 127.0.0.1
        + "0600 0200 0050 0000"
        + "0800 0300 01000000" //                   IP_VS_CONN_F_LOCALNODE
        + "0800 0400 01000000");
    IpvsDestination d = IpvsCodec.decodeDest(m, AddressFamily.INET);
    assertEquals(true, d.localNode());
  }
}
