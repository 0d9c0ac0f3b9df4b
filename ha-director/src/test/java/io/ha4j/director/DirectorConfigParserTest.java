package io.ha4j.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.election.Tracked;
import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.VirtualService;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.core.health.HttpCheck;
import io.ha4j.core.health.TcpCheck;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.api.reconcile.Quorum;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.HeartbeatKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectorConfigParserTest {

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  /** issue 16 item 8: track_interface names interfaces without a VIP (eth1 here); the owner must watch them. */
  @Test
  void trackedInterfacesIncludeThoseWithoutAVip() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse(Path.of("director.conf"));
    assertEquals(new java.util.TreeSet<>(List.of("eth0", "eth1")), c.trackedInterfaces());
  }

  /** The example shipped in ha-director/director.conf, value by value. */
  @Test
  void shippedExampleParsesToItsHeartbeatAndServiceValues() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse(Path.of("director.conf"));
    assertEquals(List.of(), c.warnings());
    assertEquals("director-1", c.routerId());
    HeartbeatConfig h = c.heartbeat();
    assertEquals("director-1@198.51.100.1", h.nodeId().value());
    assertEquals(51, h.groupId());
    assertEquals(150, h.priority());
    assertEquals(Duration.ofMillis(100), h.advertisementInterval());
    assertTrue(h.preempt());
    assertEquals(Duration.ofSeconds(5), h.preemptDelay());
    assertEquals(List.of(new HeartbeatKey(1, "a shared secret of 16+ bytes".getBytes(StandardCharsets.UTF_8))), h.keys());
    assertEquals(List.of(new InetSocketAddress(ip("198.51.100.2"), 5405)), h.destinations());
    assertEquals(new InetSocketAddress(ip("198.51.100.1"), 5405), c.heartbeatBind());
    assertEquals(Map.of(Tracked.networkInterface("eth1"), -20, Tracked.networkInterface("eth0"), 0), h.trackWeights());
    VirtualAddress vip = new VirtualAddress(ip("198.51.100.100"), 24, "eth0", "eth0:vip");
    assertEquals(List.of(vip), c.virtualAddresses());
    assertEquals(java.util.Set.of(vip), h.virtualAddresses());
    assertNull(c.announceRefresh());

    assertEquals(1, c.virtualServers().size());
    VirtualServerConfig vs = c.virtualServers().get(0);
    ServiceKey key = ServiceKey.of(Protocol.TCP, ip("198.51.100.100"), 80);
    DesiredService expected = new DesiredService(
        VirtualService.of(key, "wlc").withPersistence(300, 32),
        List.of(RealServer.of(ip("198.51.100.10"), 80).withWeight(3),
            RealServer.of(ip("198.51.100.11"), 80)),
        RealServer.of(ip("198.51.100.30"), 8080), FailureMode.QUIESCE, new Quorum(1, 0));
    assertEquals(expected, vs.service());
    assertFalse(vs.alpha());
    assertEquals(2, vs.checks().size());
    RealServerCheck http = vs.checks().get(0);
    assertEquals(new RealServer.Endpoint(ip("198.51.100.10"), 80), http.endpoint());
    assertEquals(HttpCheck.get("http://198.51.100.10:80/health").status(200).build(), http.check());
    assertEquals(new CheckSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 1, 2, Duration.ofMillis(500), true),
        http.settings());
    RealServerCheck tcp = vs.checks().get(1);
    assertEquals(new TcpCheck(new InetSocketAddress(ip("198.51.100.11"), 80)), tcp.check());
    assertEquals(new CheckSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 1, 0, Duration.ofSeconds(1), true),
        tcp.settings());
  }

  /**
   * Shaped like the samples in keepalived's doc/samples (keepalived.conf.sample, .HTTP_GET,
   * .fwmark): several virtual servers, a fwmark one, HTTP_GET and TCP_CHECK, notification keys.
   */
  static final String KEEPALIVED_STYLE = """
      ! Configuration File for keepalived

      global_defs {
         notification_email {
           acassen@firewall.loc
           failover@firewall.loc
         }
         notification_email_from Alexandre.Cassen@firewall.loc
         smtp_server 192.168.200.1
         smtp_connect_timeout 30
         router_id LVS_DEVEL
      }

      vrrp_instance VI_1 {
          state MASTER
          interface eth0
          virtual_router_id 51
          priority 100
          advert_int 1
          nopreempt
          unicast_src_ip 203.0.113.1
          unicast_peer {
              203.0.113.2
              203.0.113.3
          }
          authentication {
              auth_type PASS
              auth_pass 1111111111111111
          }
          virtual_ipaddress {
              203.0.113.16
              203.0.113.17/24 dev eth1
              2001:db8::16/64
          }
          garp_master_refresh 10
      }

      virtual_server 203.0.113.100 443 {
          delay_loop 6
          lb_algo rr
          lb_kind NAT
          persistence_timeout 50
          protocol TCP

          real_server 198.51.100.201 443 {
              weight 1
              SSL_GET {
                  url {
                    path /
                    digest ff20ad2481f97b1754ef3e12ecd3a9cc5ff20ad2481f97b1754ef3e12ecd3a9c
                  }
              }
          }
      }

      virtual_server 10.10.10.2 1358 {
          delay_loop 6
          lb_algo rr
          lb_kind NAT
          persistence_timeout 50
          protocol TCP

          sorry_server 192.168.200.200 1358

          real_server 192.168.200.2 1358 {
              weight 1
              HTTP_GET {
                  url {
                    path /testurl/test.jsp
                    status_code 200-299
                  }
                  connect_timeout 3
                  nb_get_retry 3
                  delay_before_retry 3
              }
          }

          real_server 192.168.200.3 1358 {
              weight 1
              TCP_CHECK {
                  connect_timeout 3
                  connect_port 1358
              }
          }
      }

      virtual_server fwmark 1 {
          delay_loop 10
          lb_algo wlc
          lb_kind DR
          persistence_timeout 60
          persistence_granularity 255.255.255.0
          quorum 2
          hysteresis 1
          alpha
          real_server 192.168.201.100 0 {
              weight 2
              TCP_CHECK {
                  connect_port 80
                  connect_timeout 2
              }
          }
          real_server 192.168.201.101 0 {
              TCP_CHECK {
                  connect_port 80
              }
          }
      }
      """;

  @Test
  void keepalivedDocsStyleConfigParses() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse("keepalived.conf", KEEPALIVED_STYLE);
    assertEquals("LVS_DEVEL", c.routerId());
    // Four notification/smtp keywords are ignored, each with a warning naming its line.
    assertEquals(4, c.warnings().size(), c.warnings().toString());
    assertTrue(c.warnings().get(0).startsWith("keepalived.conf:4:4: notification_email "), c.warnings().get(0));
    HeartbeatConfig h = c.heartbeat();
    assertFalse(h.preempt());
    assertEquals(Duration.ofSeconds(1), h.advertisementInterval());
    assertEquals(List.of(new InetSocketAddress(ip("203.0.113.2"), 5405), new InetSocketAddress(ip("203.0.113.3"), 5405)),
        h.destinations());
    assertEquals(1, h.keys().get(0).id());
    assertEquals(List.of(
        VirtualAddress.of(ip("203.0.113.16"), 32, "eth0"),
        VirtualAddress.of(ip("203.0.113.17"), 24, "eth1"),
        VirtualAddress.of(ip("2001:db8::16"), 64, "eth0")), c.virtualAddresses());
    assertEquals(Duration.ofSeconds(10), c.announceRefresh());
    assertEquals(3, c.virtualServers().size());

    VirtualServerConfig ssl = c.virtualServers().get(0);
    assertEquals(ForwardingMethod.NAT, ssl.service().realServers().get(0).forwarding());
    HttpCheck sslCheck = (HttpCheck) ssl.checks().get(0).check();
    assertEquals("https://198.51.100.201:443/", sslCheck.uri().toString());
    assertTrue(sslCheck.insecureTls());
    assertEquals("ff20ad2481f97b1754ef3e12ecd3a9cc5ff20ad2481f97b1754ef3e12ecd3a9c", sslCheck.sha256());

    VirtualServerConfig web = c.virtualServers().get(1);
    assertEquals(RealServer.of(ip("192.168.200.200"), 1358).withForwarding(ForwardingMethod.NAT),
        web.service().sorryServer());
    HttpCheck get = (HttpCheck) web.checks().get(0).check();
    assertEquals(200, get.minStatus());
    assertEquals(299, get.maxStatus());
    assertEquals(new CheckSettings(Duration.ofSeconds(6), Duration.ofSeconds(3), 1, 1, 3, Duration.ofSeconds(3), true),
        web.checks().get(0).settings());
    assertEquals(new TcpCheck(new InetSocketAddress(ip("192.168.200.3"), 1358)), web.checks().get(1).check());

    VirtualServerConfig fw = c.virtualServers().get(2);
    assertEquals(ServiceKey.fwmark(1, AddressFamily.INET), fw.service().service().key());
    assertEquals(24, fw.service().service().persistenceNetmask());
    assertEquals(60, fw.service().service().persistenceTimeoutSeconds());
    assertEquals(new Quorum(2, 1), fw.service().quorum());
    assertTrue(fw.alpha());
    assertEquals(RealServer.of(ip("192.168.201.100"), 0).withWeight(2), fw.service().realServers().get(0));
    assertEquals(new TcpCheck(new InetSocketAddress(ip("192.168.201.101"), 80)), fw.checks().get(1).check());
    assertEquals(Duration.ofSeconds(5), fw.checks().get(1).settings().timeout());
  }

  // ---- errors: each names file:line:column and the token.

  static final String MINIMAL = """
      vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        unicast_src_ip 198.51.100.1
        unicast_peer {
          198.51.100.2
        }
        ha4j_key 1 0123456789abcdef
      }
      """;

  static ConfigException error(String text) {
    return assertThrows(ConfigException.class, () -> DirectorConfigParser.parse("d.conf", text));
  }

  static void assertError(String text, int line, int column, String token, String fragment) {
    ConfigException e = error(text);
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertEquals(token, e.token(), e.getMessage());
    assertTrue(e.getMessage().startsWith("d.conf:" + line + ":" + column + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    if (!token.isEmpty()) {
      assertTrue(e.getMessage().endsWith("(at '" + token + "')"), e.getMessage());
    }
  }

  @Test
  void minimalConfigParses() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse("d.conf", MINIMAL);
    assertEquals("198.51.100.1", c.routerId());
    assertEquals(100, c.heartbeat().priority());
    assertEquals(List.of(), c.virtualServers());
  }

  @Test
  void theWitnessIsOnByDefaultAtTheHeartbeatPortPlusTwo() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse("d.conf", MINIMAL);
    assertTrue(c.heartbeat().witness());
    assertEquals(5407, c.heartbeat().witnessPort());
    c = DirectorConfigParser.parse("d.conf", MINIMAL.replace("ha4j_key 1", "ha4j_port 6000\n  ha4j_key 1"));
    assertEquals(6002, c.heartbeat().witnessPort());
    c = DirectorConfigParser.parse("d.conf",
        MINIMAL.replace("ha4j_key 1", "ha4j_witness_port 7001\n  ha4j_witness off\n  ha4j_key 1"));
    assertEquals(7001, c.heartbeat().witnessPort());
    assertFalse(c.heartbeat().witness());
    assertError(MINIMAL.replace("ha4j_key 1", "ha4j_witness maybe\n  ha4j_key 1"), 8, 16, "maybe", "on or off");
  }

  @Test
  void advertCopiesDefaultToOneAndAreReadWithinTheirRange() throws Exception {
    assertEquals(1, DirectorConfigParser.parse("d.conf", MINIMAL).heartbeat().advertisementCopies());
    DirectorConfig c = DirectorConfigParser.parse("d.conf", MINIMAL.replace("ha4j_key 1", "ha4j_advert_copies 2\n  ha4j_key 1"));
    assertEquals(2, c.heartbeat().advertisementCopies());
    assertError(MINIMAL.replace("ha4j_key 1", "ha4j_advert_copies 6\n  ha4j_key 1"), 8, 22, "6", "1..5");
  }

  @Test
  void bracesNeedNoBlanksAndPeersMayShareALine() throws Exception {
    DirectorConfig c = DirectorConfigParser.parse("d.conf", MINIMAL.replace("unicast_peer {\n    198.51.100.2\n  }",
        "unicast_peer{198.51.100.2 198.51.100.3}") + "global_defs{router_id \"d 1\"}\n");
    assertEquals("d 1", c.routerId());
    assertEquals(List.of(new InetSocketAddress(ip("198.51.100.2"), 5405), new InetSocketAddress(ip("198.51.100.3"), 5405)),
        c.heartbeat().destinations());
  }

  /**
   * Issue 16: keepalived's sample {@code router_id LVS_DEVEL}, copied to both nodes, gave both the
   * same node id; each dropped the other's advertisements as its own and both held the VIP.
   */
  @Test
  void copiedRouterIdsStillGiveEachNodeItsOwnId() throws Exception {
    String node1 = MINIMAL + "global_defs {\n  router_id LVS_DEVEL\n}\n";
    String node2 = node1.replace("198.51.100.1", "198.51.100.9").replace("198.51.100.2", "198.51.100.1");
    DirectorConfig c1 = DirectorConfigParser.parse("d.conf", node1);
    DirectorConfig c2 = DirectorConfigParser.parse("d.conf", node2);
    assertEquals("LVS_DEVEL", c1.routerId());
    assertEquals("LVS_DEVEL", c2.routerId());
    assertEquals("LVS_DEVEL@198.51.100.1", c1.heartbeat().nodeId().value());
    assertEquals("LVS_DEVEL@198.51.100.9", c2.heartbeat().nodeId().value());
    // Without a router_id the address alone, as before.
    assertEquals("198.51.100.1", DirectorConfigParser.parse("d.conf", MINIMAL).heartbeat().nodeId().value());
    String v6 = MINIMAL.replace("unicast_src_ip 198.51.100.1", "unicast_src_ip 2001:db8::1")
        .replace("    198.51.100.2", "    2001:db8::2") + "global_defs {\n  router_id LVS_DEVEL\n}\n";
    assertEquals("LVS_DEVEL@2001:db8:0:0:0:0:0:1", DirectorConfigParser.parse("d.conf", v6).heartbeat().nodeId().value());
  }

  /** NodeId's 64 bytes hold router_id@address: a longer router_id is cut on a character boundary, with a warning. */
  @Test
  void aLongRouterIdIsCutToFitWithTheAddress() throws Exception {
    String name = "\u00e9".repeat(40); // 80 bytes of UTF-8
    DirectorConfig c = DirectorConfigParser.parse("d.conf", MINIMAL + "global_defs {\n  router_id " + name + "\n}\n");
    String id = "\u00e9".repeat(25) + "@198.51.100.1"; // 50 + 13 bytes: the 26th would make 65
    assertEquals(id, c.heartbeat().nodeId().value());
    assertEquals(name, c.routerId());
    assertEquals(List.of("d.conf:11:13: router_id is cut to fit the node id '" + id + "' (64 bytes at most, with the address)"),
        c.warnings());
  }

  @Test
  void unknownKeyword() {
    assertError(MINIMAL.replace("  interface eth0", "  interfaces eth0"), 2, 3, "interfaces", "unknown keyword in vrrp_instance");
    assertError("bogus {\n}\n" + MINIMAL, 1, 1, "bogus", "unknown keyword in the top level");
  }

  @Test
  void badNumber() {
    assertError(MINIMAL.replace("virtual_router_id 51", "virtual_router_id 256"), 3, 21, "256",
        "virtual_router_id must be an integer in 1..255");
    assertError(MINIMAL.replace("virtual_router_id 51", "virtual_router_id fifty"), 3, 21, "fifty", "1..255");
    assertError(MINIMAL.replace("ha4j_key 1", "advert_int 0.0005\n  ha4j_key 1"), 8, 14, "0.0005", "whole milliseconds");
    assertError(MINIMAL.replace("ha4j_key 1", "preempt_delay -1\n  ha4j_key 1"), 8, 17, "-1", "seconds");
  }

  @Test
  void missingAndExtraWords() {
    assertError(MINIMAL.replace("interface eth0", "interface"), 2, 3, "interface", "interface needs 1 value");
    assertError(MINIMAL.replace("interface eth0", "interface eth0 eth1"), 2, 18, "eth1", "unexpected word after interface");
    assertError(MINIMAL.replace("ha4j_key 1", "nopreempt yes\n  ha4j_key 1"), 8, 13, "yes", "unexpected word");
  }

  @Test
  void repeatedKeyword() {
    assertError(MINIMAL.replace("ha4j_key 1", "virtual_router_id 52\n  ha4j_key 1"), 8, 3, "virtual_router_id",
        "virtual_router_id is given twice (first at line 3)");
  }

  @Test
  void bracesAndQuotes() {
    assertError(MINIMAL + "virtual_server 198.51.100.100 80 {\n  delay_loop 1\n", 10, 34, "{", "'{' is never closed");
    assertError(MINIMAL + "}\n", 10, 1, "}", "'}' without a block to close");
    assertError("{\n" + MINIMAL, 1, 1, "{", "'{' must follow a keyword");
    assertError(MINIMAL.replace("interface eth0", "interface \"eth0"), 2, 13, "\"eth0", "quoted string is not closed");
    assertError(MINIMAL.replace("priority", "x").replace("interface eth0", "interface eth0 {\n}"), 2, 3, "interface",
        "takes no { ... } block");
  }

  @Test
  void badAddresses() {
    assertError(MINIMAL.replace("    198.51.100.2", "    peer.example"), 6, 5, "peer.example", "not an IPv4 or IPv6 address");
    assertError(MINIMAL.replace("unicast_src_ip 198.51.100.1", "unicast_src_ip 198.51.100.300"), 4, 18, "198.51.100.300",
        "not an IPv4 or IPv6 address");
    assertError(MINIMAL.replace("ha4j_key 1", "virtual_ipaddress {\n    198.51.100.100/33\n  }\n  ha4j_key 1"), 9, 5,
        "198.51.100.100/33", "prefix length must be 0..32");
    assertError(MINIMAL.replace("ha4j_key 1", "virtual_ipaddress {\n    198.51.100.100/24 brd 1.2.3.4\n  }\n  ha4j_key 1"),
        9, 23, "brd", "unsupported virtual_ipaddress option");
  }

  @Test
  void missingRequiredSettingPointsAtTheInstance() {
    assertError(MINIMAL.replace("  unicast_src_ip 198.51.100.1\n", ""), 1, 1, "vrrp_instance", "lacks unicast_src_ip");
    assertError(MINIMAL.replace("  ha4j_key 1 0123456789abcdef\n", ""), 1, 1, "vrrp_instance", "lacks a key");
    ConfigException none = error("global_defs {\n  router_id a\n}\n");
    assertTrue(none.getMessage().startsWith("d.conf:1:1: neither vrrp_instance nor virtual_server"), none.getMessage());
    assertError(MINIMAL + MINIMAL, 10, 1, "vrrp_instance", "only one vrrp_instance per director (the first is at line 1)");
  }

  /** keepalived's digest is the MD5 its genhash prints (keepalived.conf.sample); 64 digits stay SHA-256. */
  @Test
  void digestOf32HexDigitsIsKeepalivedsMd5() throws Exception {
    String text = MINIMAL + """
        virtual_server 198.51.100.100 80 {
          real_server 198.51.100.10 80 {
            HTTP_GET {
              url {
                path /testurl3/test.jsp
                digest 640205B7B0FC66C1EA91C463FAC6334D
              }
            }
          }
        }
        """;
    HttpCheck check = (HttpCheck) DirectorConfigParser.parse("d.conf", text).virtualServers().get(0).checks().get(0).check();
    assertEquals(HttpCheck.get("http://198.51.100.10:80/testurl3/test.jsp").md5("640205b7b0fc66c1ea91c463fac6334d").build(),
        check);
    assertEquals("MD5", check.digestAlgorithm());
  }

  /** keepalived.conf(5) {@code real_server IP [PORT]}: without a port (keepalived.conf.fwmark) it is 0, the client's port. */
  @Test
  void realServerWithoutAPortHasPortZeroAndItsCheckTheConnectPort() throws Exception {
    String text = MINIMAL + """
        virtual_server fwmark 1 {
          real_server 198.51.100.10 {
            TCP_CHECK {
              connect_port 80
            }
          }
        }
        """;
    VirtualServerConfig vs = DirectorConfigParser.parse("d.conf", text).virtualServers().get(0);
    assertEquals(new RealServer.Endpoint(ip("198.51.100.10"), 0), vs.service().realServers().get(0).endpoint());
    assertEquals(new TcpCheck(new InetSocketAddress(ip("198.51.100.10"), 80)), vs.checks().get(0).check());
    assertError(text.replace("      connect_port 80\n", ""), 12, 5, "TCP_CHECK", "port 0: set connect_port");
  }

  /** keepalived.conf(5): {@code virtual_server IP [PORT]}; "the port can only be omitted if the virtual service is persistent". */
  @Test
  void virtualServerWithoutAPortMustBePersistent() throws Exception {
    String text = MINIMAL + """
        virtual_server 198.51.100.100 {
          persistence_timeout 300
          real_server 198.51.100.10 {
          }
        }
        """;
    VirtualServerConfig vs = DirectorConfigParser.parse("d.conf", text).virtualServers().get(0);
    assertEquals(ServiceKey.of(Protocol.TCP, ip("198.51.100.100"), 0), vs.service().service().key());
    assertEquals(300, vs.service().service().persistenceTimeoutSeconds());
    assertError(text.replace("  persistence_timeout 300\n", ""), 10, 1, "virtual_server",
        "port 0 is allowed only for a persistent service");
  }

  /** keepalived and ldirectord run a file of virtual servers alone: no election, no VIP (issue 18). */
  @Test
  void virtualServersWithoutAnInstanceAreLvsOnly() throws Exception {
    String text = MINIMAL.substring(MINIMAL.indexOf('}', MINIMAL.indexOf("ha4j_key")) + 2) + """
        virtual_server 198.51.100.100 80 {
          real_server 198.51.100.10 80 {
          }
        }
        """;
    DirectorConfig c = DirectorConfigParser.parse("d.conf", text);
    assertTrue(c.lvsOnly());
    assertNull(c.heartbeat());
    assertNull(c.heartbeatBind());
    assertEquals(List.of(), c.virtualAddresses());
    assertEquals(1, c.virtualServers().size());
    assertEquals(new java.util.TreeSet<String>(), c.trackedInterfaces());
    assertFalse(DirectorConfigParser.parse("d.conf", MINIMAL).lvsOnly());
  }

  @Test
  void keysTooShortOrDuplicated() {
    assertError(MINIMAL.replace("ha4j_key 1 0123456789abcdef", "ha4j_key 1 0123456789abcde"),
        8, 14, ConfigToken.SHOWN_SECRET, "ha4j_key secret must be at least 16 bytes (ha4j's HMAC key), was 15");
    assertError(MINIMAL.replace("ha4j_key 1 0123456789abcdef", "ha4j_key 1 0123456789abcdef\n  ha4j_key 1 fedcba9876543210"),
        9, 3, "ha4j_key", "key id 1 is defined twice (first at line 8)");
  }

  @Test
  void virtualServerErrors() {
    String vs = MINIMAL + """
        virtual_server 198.51.100.100 80 {
          lb_kind FOO
        }
        """;
    assertError(vs, 11, 11, "FOO", "lb_kind must be NAT, DR or TUN");
    String md5 = MINIMAL + """
        virtual_server 198.51.100.100 80 {
          real_server 198.51.100.10 80 {
            HTTP_GET {
              url {
                path /
                digest 9b3a0c2f5c0e4bb9e4d4f1f8c7a1e2d3
              }
            }
          }
        }
        """;
    assertError(md5.replace("e2d3", "e2d"), 15, 16, "9b3a0c2f5c0e4bb9e4d4f1f8c7a1e2d", "digest must be 32 hex digits");
    assertError(MINIMAL + """
        virtual_server 198.51.100.100 80 {
          real_server 198.51.100.10 80 {
            PING_CHECK {
            }
          }
        }
        """, 12, 5, "PING_CHECK", "not supported");
    assertError(MINIMAL + """
        virtual_server 198.51.100.100 80 {
          real_server 198.51.100.10 80 {
            TCP_CHECK {
            }
            TCP_CHECK {
            }
          }
        }
        """, 14, 5, "TCP_CHECK", "one checker per real_server (the first is at line 12)");
    assertError(MINIMAL + """
        virtual_server fwmark 0 {
        }
        """, 10, 23, "0", "fwmark must be an integer in 1..4294967295");
    assertError(MINIMAL + """
        virtual_server 198.51.100.100 80 {
        }
        virtual_server 198.51.100.100 80 {
        }
        """, 12, 1, "virtual_server", "defined twice");
  }
}
