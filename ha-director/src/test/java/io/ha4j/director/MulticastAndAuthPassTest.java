package io.ha4j.director;

import static io.ha4j.director.DirectorConfigParserTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.heartbeat.HeartbeatKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * keepalived.conf(5)'s defaults that its samples rely on: an instance without {@code
 * unicast_peer} advertises to a multicast group (224.0.0.18 or {@code mcast_dst_ip}; ff02::12 for
 * IPv6, RFC 5798 section 5.1.1.2 / 5.1.2.2), and {@code auth_pass} of any length (keepalived's is
 * up to 8 characters) or {@code auth_type AH} keys ha4j's HMAC.
 */
class MulticastAndAuthPassTest {

  /** Shaped like keepalived.conf.vrrp's first instance: no unicast_peer, a 4-byte auth_pass. */
  static final String SAMPLE = """
      global_defs {
        router_id LVS_DEVEL
      }
      vrrp_instance VI_1 {
        interface eth0
        state BACKUP
        priority 100
        virtual_router_id 51
        advert_int 1
        authentication {
          auth_type PASS
          auth_pass 1111
        }
        virtual_ipaddress {
          192.168.200.16
        }
      }
      """;

  static InetAddress ip(String s) {
    return AddressLiteral.require(s);
  }

  @Test
  void withoutUnicastPeerTheHeartbeatGoesToKeepalivedsGroup() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse("d.conf", SAMPLE);
    DirectorConfig.Multicast m = c.multicast();
    assertNotNull(m);
    InetSocketAddress group = new InetSocketAddress(ip("224.0.0.18"), DirectorConfig.DEFAULT_PORT);
    assertEquals(group, m.group());
    assertEquals("eth0", m.interfaceName());
    assertNull(m.source());
    assertEquals(group, c.heartbeatBind());
    assertEquals(List.of(group), c.heartbeat().destinations());
    assertNull(c.heartbeat().unicastPeers(), "a group: anyone may send, the HMAC decides");
    // Until the start names it by the interface's address.
    assertEquals("LVS_DEVEL@eth0", c.heartbeat().nodeId().value());
    List<String> cut = new ArrayList<>();
    DirectorConfig started = c.withSource(ip("192.168.200.2"), cut::add);
    assertEquals("LVS_DEVEL@192.168.200.2", started.heartbeat().nodeId().value());
    assertEquals(ip("192.168.200.2"), started.multicast().source());
    assertEquals(c.heartbeat().destinations(), started.heartbeat().destinations());
    assertEquals(c.heartbeat().keys(), started.heartbeat().keys());
    assertEquals(List.of(), cut);
    assertEquals("LVS_DEVEL", started.routerId());
  }

  @Test
  void checkSaysWhereTheHeartbeatGoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path f = dir.resolve("d.conf");
    java.nio.file.Files.writeString(f, SAMPLE, StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    assertEquals(0, DirectorMain.run(new String[] {"--check", f.toString()}, new java.io.PrintStream(bytes, true,
        StandardCharsets.UTF_8), null));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("is valid: node LVS_DEVEL@eth0 (named by eth0's address at start), multicast to 224.0.0.18"
        + " on eth0, 1 virtual addresses, 0 virtual servers"), out);
  }

  @Test
  void mcastDstIpAndMcastSrcIp() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse("d.conf", SAMPLE.replace("advert_int 1",
        "advert_int 1\n  mcast_src_ip 198.51.100.1\n  mcast_dst_ip 239.255.72.52"));
    assertEquals(new InetSocketAddress(ip("239.255.72.52"), DirectorConfig.DEFAULT_PORT), c.multicast().group());
    assertEquals("LVS_DEVEL@198.51.100.1", c.heartbeat().nodeId().value());
    assertEquals(c, c.withSource(ip("198.51.100.9"), w -> { }), "mcast_src_ip names the node already");
  }

  @Test
  void globalDefsGroupsAndIpv6Instances() throws Exception {
    String v6 = SAMPLE.replace("192.168.200.16", "2001:db8::16");
    assertEquals(new InetSocketAddress(ip("ff02::12"), DirectorConfig.DEFAULT_PORT),
        DirectorConfigParser.parse("d.conf", v6).multicast().group());
    String groups = SAMPLE.replace("router_id LVS_DEVEL", "router_id LVS_DEVEL\n  vrrp_mcast_group4 239.1.2.3\n"
        + "  vrrp_mcast_group6 ff02::4841");
    assertEquals(ip("239.1.2.3"), DirectorConfigParser.parse("d.conf", groups).multicast().group().getAddress());
    assertEquals(ip("ff02::4841"), DirectorConfigParser.parse("d.conf", groups.replace("192.168.200.16", "2001:db8::16"))
        .multicast().group().getAddress());
  }

  @Test
  void multicastErrorsPointAtTheWord() {
    assertError(SAMPLE.replace("advert_int 1", "advert_int 1\n  mcast_dst_ip 198.51.100.7"), 10, 16, "198.51.100.7",
        "mcast_dst_ip must be a multicast address");
    assertError(SAMPLE.replace("advert_int 1", "advert_int 1\n  mcast_dst_ip ff02::12"), 10, 16, "ff02::12",
        "mcast_dst_ip is IPv6 but the instance is IPv4 (from its first virtual_ipaddress)");
    assertError(SAMPLE.replace("router_id LVS_DEVEL", "vrrp_mcast_group4 ff02::12"), 2, 21, "ff02::12",
        "vrrp_mcast_group4 must be an IPv4 multicast address");
    assertError(SAMPLE.replace("advert_int 1", "advert_int 1\n  mcast_dst_ip 239.1.1.1\n  unicast_src_ip 198.51.100.1\n"
        + "  unicast_peer {\n    198.51.100.2\n  }"), 10, 16, "239.1.1.1", "mcast_dst_ip with unicast_peer");
    assertError(SAMPLE.replace("advert_int 1", "advert_int 1\n  unicast_src_ip 198.51.100.1\n  mcast_src_ip 198.51.100.1"),
        11, 3, "mcast_src_ip", "one setting in keepalived");
  }

  /** RFC 5869 section 2.2: PRK = HMAC-Hash(salt, IKM); here salt "ha4j auth_pass v1", IKM the password. */
  @Test
  void shortAuthPassIsStretchedByHkdfExtractWithOneWarning() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse("d.conf", SAMPLE);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("ha4j auth_pass v1".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    byte[] expected = mac.doFinal("1111".getBytes(StandardCharsets.US_ASCII));
    assertEquals(List.of(new HeartbeatKey(1, expected)), c.heartbeat().keys());
    assertEquals(32, c.heartbeat().keys().get(0).secret().length);
    assertEquals(1, c.warnings().size(), c.warnings().toString());
    String w = c.warnings().get(0);
    assertTrue(w.startsWith("d.conf:12:15: auth_pass is 4 bytes"), w);
    assertFalse(w.contains("1111"), "the warning shows the secret: " + w);
    // A fixed vector, so that a change of the derivation (which would split mixed-version pairs) fails here.
    // (computed with Python's hmac module)
    assertEquals("1dc3856f49c8c57bbd0bf16b598483cd5fcce55fe44a7bcec806c7ad601879ae", HexFormat.of().formatHex(expected));
  }

  @Test
  void longAuthPassIsTheKeyItselfAsBefore() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse("d.conf", SAMPLE.replace("auth_pass 1111", "auth_pass 0123456789abcdef"));
    assertArrayEquals("0123456789abcdef".getBytes(StandardCharsets.US_ASCII), c.heartbeat().keys().get(0).secret());
    assertEquals(List.of(), c.warnings());
  }

  /** keepalived's accept (RFC 5798 Accept_Mode): ha4j never drops VIP traffic, so it is what ha4j does; no_accept is refused. */
  @Test
  void acceptIsReadAndNoAcceptRefused() throws Exception {
    assertEquals(DirectorConfigParser.parse("d.conf", SAMPLE).heartbeat(),
        DirectorConfigParser.parse("d.conf", SAMPLE.replace("advert_int 1", "advert_int 1\n  accept")).heartbeat());
    assertError(SAMPLE.replace("advert_int 1", "advert_int 1\n  no_accept"), 10, 3, "no_accept",
        "no_accept is not supported by the ha4j director");
  }

  @Test
  void authTypeAhIsTakenWithAWarning() throws Exception {
    DirectorConfig pass = DirectorConfigParser.parse("d.conf", SAMPLE);
    DirectorConfig ah = DirectorConfigParser.parse("d.conf", SAMPLE.replace("auth_type PASS", "auth_type AH"));
    assertEquals(pass.heartbeat().keys(), ah.heartbeat().keys());
    assertEquals(2, ah.warnings().size(), ah.warnings().toString());
    assertTrue(ah.warnings().get(0).startsWith("d.conf:11:15: auth_type AH:"), ah.warnings().get(0));
    assertError(SAMPLE.replace("auth_pass 1111", "auth_pass \"\""), 12, 15, ConfigToken.SHOWN_SECRET,
        "auth_pass must not be empty");
  }
}
