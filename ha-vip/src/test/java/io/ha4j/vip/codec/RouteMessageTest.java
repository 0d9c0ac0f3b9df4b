package io.ha4j.vip.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.AddressFamily;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Golden tests against iproute2 6.1 / Linux 6.1 rtnetlink traffic in vectors/rtnetlink-iproute2-addr.hex. */
class RouteMessageTest {

  private static final int VIP0 = 3; // ifindex of vip0 in the capture
  private static final int ADD = RouteMessage.NLM_F_REQUEST | RouteMessage.NLM_F_ACK | RouteMessage.NLM_F_EXCL
      | RouteMessage.NLM_F_CREATE;
  private static final int DEL = RouteMessage.NLM_F_REQUEST | RouteMessage.NLM_F_ACK;
  private static Map<String, List<Vectors.Captured>> vectors;

  @BeforeAll
  static void load() throws Exception {
    vectors = Vectors.sections("rtnetlink-iproute2-addr.hex");
  }

  private static List<Vectors.Captured> section(String title) {
    List<Vectors.Captured> s = vectors.get(title);
    if (s == null) {
      throw new AssertionError("no section '" + title + "' in " + vectors.keySet());
    }
    return s;
  }

  /** The captured message of {@code type} in direction {@code dir}, k-th occurrence. */
  private static RouteMessage find(String title, String dir, int type, int k) {
    int seen = 0;
    for (Vectors.Captured c : section(title)) {
      if (!c.direction().equals(dir)) {
        continue;
      }
      for (RouteMessage m : RouteMessage.readAll(ByteBuffer.wrap(c.bytes()))) {
        if (m.type() == type && seen++ == k) {
          return m;
        }
      }
    }
    throw new AssertionError("no " + dir + " of type " + type + " in " + title);
  }

  private static byte[] raw(String title, String dir, int type) {
    RouteMessage m = find(title, dir, type, 0);
    return m.toBytes();
  }

  /** Our request with the capture's sequence number (seq and pid aside) must equal iproute2's. */
  private static void assertSameRequest(String title, int type, int flags, AddressMessage body) {
    RouteMessage theirs = find(title, "REQ", type, 0);
    RouteMessage ours = RouteMessage.of(type, flags, theirs.sequence(), body);
    assertArrayEquals(raw(title, "REQ", type), ours.toBytes(), title);
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void addIpv4WithLabelEqualsIproute2() throws Exception {
    assertSameRequest("ip addr add 198.51.100.100/24 dev vip0 label vip0:ha", RouteMessage.RTM_NEWADDR, ADD,
        AddressMessage.of(ip("198.51.100.100"), 24, VIP0, 0, "vip0:ha"));
  }

  @Test
  void addIpv6NodadEqualsIproute2() throws Exception {
    assertSameRequest("ip -6 addr add 2001:db8::100/64 dev vip0 nodad", RouteMessage.RTM_NEWADDR, ADD,
        AddressMessage.of(ip("2001:db8::100"), 64, VIP0, AddressMessage.IFA_F_NODAD, null));
  }

  @Test
  void addNoprefixrouteUsesIfaFlagsAttributeLikeIproute2() throws Exception {
    assertSameRequest("ip addr add 198.51.100.101/32 dev vip0 noprefixroute", RouteMessage.RTM_NEWADDR, ADD,
        AddressMessage.of(ip("198.51.100.101"), 32, VIP0, AddressMessage.IFA_F_NOPREFIXROUTE, null));
  }

  @Test
  void deleteIpv4AndIpv6EqualIproute2() throws Exception {
    assertSameRequest("ip addr del 198.51.100.100/24 dev vip0", RouteMessage.RTM_DELADDR, DEL,
        AddressMessage.of(ip("198.51.100.100"), 24, VIP0, 0, null));
    assertSameRequest("ip -6 addr del 2001:db8::100/64 dev vip0", RouteMessage.RTM_DELADDR, DEL,
        AddressMessage.of(ip("2001:db8::100"), 64, VIP0, 0, null));
  }

  @Test
  void dumpRequestEqualsIproute2() {
    assertSameRequest("ip -4 addr show dev vip0", RouteMessage.RTM_GETADDR,
        RouteMessage.NLM_F_REQUEST | RouteMessage.NLM_F_DUMP, AddressMessage.dump(AddressFamily.INET, VIP0));
  }

  @Test
  void getLinkByNameEqualsIproute2() {
    String title = "ip addr add 198.51.100.100/24 dev vip0 label vip0:ha";
    RouteMessage theirs = find(title, "REQ", RouteMessage.RTM_GETLINK, 0);
    RouteMessage ours = RouteMessage.of(RouteMessage.RTM_GETLINK, RouteMessage.NLM_F_REQUEST, theirs.sequence(),
        LinkMessage.byName("vip0"));
    assertArrayEquals(theirs.toBytes(), ours.toBytes());
  }

  @Test
  void getLinkByIndexEqualsIproute2() {
    // iproute2 asks for index 2 here, while resolving the link of another address in the dump.
    RouteMessage theirs = find("ip -4 addr show dev vip0", "REQ", RouteMessage.RTM_GETLINK, 2);
    RouteMessage ours = RouteMessage.of(RouteMessage.RTM_GETLINK, RouteMessage.NLM_F_REQUEST, theirs.sequence(),
        LinkMessage.byIndex(2));
    assertArrayEquals(theirs.toBytes(), ours.toBytes());
  }

  @Test
  void kernelLinkReplyDecodes() {
    LinkMessage link = find("ip addr add 198.51.100.100/24 dev vip0 label vip0:ha", "RSP", RouteMessage.RTM_NEWLINK, 0)
        .link();
    assertEquals(VIP0, link.index());
    assertEquals("vip0", link.name());
    assertEquals(MacAddress.parse("02:00:00:00:00:0a"), link.hardwareAddress());
    assertEquals(LinkMessage.IF_OPER_UP, link.operState());
    assertEquals(1, link.type(), "ARPHRD_ETHER");
    assertTrue(link.isUsable());
  }

  @Test
  void kernelAckAndErrorsDecode_EEXIST_EADDRNOTAVAIL_ENODEV() {
    RouteMessage ack = find("ip addr add 198.51.100.100/24 dev vip0 label vip0:ha", "RSP", RouteMessage.NLMSG_ERROR, 0);
    assertEquals(0, ack.errno());
    assertEquals(RouteMessage.RTM_NEWADDR, ack.echoedType());
    assertNull(ack.extendedAck());
    RouteMessage exists = find("ip addr add 198.51.100.100/24 dev vip0 label vip0:ha #2", "RSP", RouteMessage.NLMSG_ERROR, 0);
    assertEquals(17, exists.errno(), "EEXIST");
    RouteMessage gone = find("ip addr del 198.51.100.100/24 dev vip0 #2", "RSP", RouteMessage.NLMSG_ERROR, 0);
    assertEquals(99, gone.errno(), "EADDRNOTAVAIL");
    RouteMessage noDev = find("ip addr add 198.51.100.102/24 dev nosuchdev", "RSP", RouteMessage.NLMSG_ERROR, 0);
    assertEquals(19, noDev.errno(), "ENODEV");
    assertEquals(RouteMessage.RTM_GETLINK, noDev.echoedType());
  }

  @Test
  void ourErrorRepliesEqualTheKernels() {
    String title = "ip addr add 198.51.100.100/24 dev vip0 label vip0:ha #2";
    RouteMessage request = find(title, "REQ", RouteMessage.RTM_NEWADDR, 0);
    RouteMessage kernel = find(title, "RSP", RouteMessage.NLMSG_ERROR, 0);
    assertArrayEquals(kernel.toBytes(), RouteMessage.error(request, 17, kernel.portId()).toBytes());
    String t1 = "ip addr add 198.51.100.100/24 dev vip0 label vip0:ha";
    RouteMessage ack = find(t1, "RSP", RouteMessage.NLMSG_ERROR, 0);
    assertArrayEquals(ack.toBytes(), RouteMessage.error(find(t1, "REQ", RouteMessage.RTM_NEWADDR, 0), 0, ack.portId()).toBytes());
  }

  @Test
  void dumpReplyDecodesBothAddressesAndDone() throws Exception {
    String title = "ip -4 addr show dev vip0";
    AddressMessage first = find(title, "RSP", RouteMessage.RTM_NEWADDR, 0).address();
    assertEquals(ip("198.51.100.100"), first.ownAddress());
    assertEquals(24, first.prefixLength());
    assertEquals("vip0:ha", first.label());
    assertEquals(VIP0, first.index());
    assertEquals(AddressMessage.IFA_F_PERMANENT, first.flags());
    AddressMessage second = find(title, "RSP", RouteMessage.RTM_NEWADDR, 1).address();
    assertEquals(ip("198.51.100.101"), second.ownAddress());
    assertEquals(32, second.prefixLength());
    assertEquals(AddressMessage.IFA_F_PERMANENT | AddressMessage.IFA_F_NOPREFIXROUTE, second.flags(), "IFA_FLAGS wins over ifa_flags");
    RouteMessage done = find(title, "RSP", RouteMessage.NLMSG_DONE, 0);
    assertEquals(RouteMessage.NLM_F_MULTI, done.flags() & RouteMessage.NLM_F_MULTI);
  }

  @Test
  void ourRequestsDecodeBackToTheSameAddress() throws Exception {
    AddressMessage m = AddressMessage.of(ip("2001:db8::100"), 64, VIP0,
        AddressMessage.IFA_F_NODAD | AddressMessage.IFA_F_NOPREFIXROUTE, null);
    RouteMessage msg = RouteMessage.of(RouteMessage.RTM_NEWADDR, ADD, 7, m);
    List<RouteMessage> back = RouteMessage.readAll(ByteBuffer.wrap(msg.toBytes()));
    assertEquals(1, back.size());
    assertEquals(m, back.get(0).address());
  }

  @Test
  void truncatedMessagesAreRejected() {
    byte[] req = raw("ip addr del 198.51.100.100/24 dev vip0", "REQ", RouteMessage.RTM_DELADDR);
    byte[] cut = java.util.Arrays.copyOf(req, req.length - 4);
    assertThrows(MalformedFrameException.class, () -> RouteMessage.readAll(ByteBuffer.wrap(cut)));
    byte[] badAttr = req.clone();
    badAttr[24] = 0x7f; // first attribute claims 127 bytes
    RouteMessage m = RouteMessage.readAll(ByteBuffer.wrap(badAttr)).get(0);
    assertThrows(MalformedFrameException.class, m::address);
  }
}
