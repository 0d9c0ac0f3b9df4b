package io.ha4j.director;

import static io.ha4j.director.DirectorConfigParserTest.MINIMAL;
import static io.ha4j.director.DirectorConfigParserTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.Protocol;
import io.ha4j.api.ServiceKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keepalived.conf(5) "Virtual server group(s)": a {@code virtual_server group NAME} gives its
 * settings and real servers to every address, address range and fwmark of {@code
 * virtual_server_group NAME}; keepalived.conf.virtual_server_group's shape.
 */
class VirtualServerGroupTest {

  static ServiceKey tcp(String ip, int port) {
    return ServiceKey.of(Protocol.TCP, AddressLiteral.require(ip), port);
  }

  static List<ServiceKey> keys(String text) throws Exception {
    List<ServiceKey> keys = new ArrayList<>();
    for (VirtualServerConfig v : DirectorConfigParser.parse("d.conf", text).virtualServers()) {
      keys.add(v.service().service().key());
    }
    return keys;
  }

  static String group(String entries) {
    return MINIMAL + "virtual_server_group VSG_1 {\n" + entries + "}\n" + """
        virtual_server group VSG_1 {
          lb_algo rr
          persistence_timeout 50
          real_server 198.51.100.10 80 {
            TCP_CHECK {
              connect_timeout 3
            }
          }
        }
        """;
  }

  @Test
  void everyMemberGetsTheSettingsAndTheRealServers() throws Exception {
    String text = group("  10.0.0.1 8080\n  192.168.200.3-5 80\n  fwmark 1\n  fwmark 2 inet6\n");
    assertEquals(List.of(tcp("10.0.0.1", 8080), tcp("192.168.200.3", 80), tcp("192.168.200.4", 80),
        tcp("192.168.200.5", 80), ServiceKey.fwmark(1, AddressFamily.INET), ServiceKey.fwmark(2, AddressFamily.INET6)),
        keys(text));
    List<VirtualServerConfig> all = DirectorConfigParser.parse("d.conf", text).virtualServers();
    for (VirtualServerConfig v : all) {
      assertEquals(all.get(0).service().realServers(), v.service().realServers());
      assertEquals(all.get(0).checks(), v.checks());
      assertEquals("rr", v.service().service().scheduler());
      assertEquals(50, v.service().service().persistenceTimeoutSeconds());
    }
  }

  @Test
  void rangesAsKeepalivedWritesThem() throws Exception {
    assertEquals(List.of(tcp("192.168.200.254", 80), tcp("192.168.200.255", 80), tcp("192.168.201.0", 80)),
        keys(group("  192.168.200.254-192.168.201.0 80\n")));
    // No port: 0, allowed as the group's services are persistent (keepalived.conf(5)).
    assertEquals(List.of(tcp("192.168.202.8", 0), tcp("192.168.202.9", 0), tcp("192.168.202.10", 0),
        tcp("192.168.202.11", 0)), keys(group("  192.168.202.9/30\n")));
    assertEquals(List.of(tcp("2001:db8::9", 80), tcp("2001:db8::a", 80), tcp("2001:db8::b", 80)),
        keys(group("  2001:db8::9-b 80\n")).subList(0, 3));
  }

  @Test
  void groupErrorsPointAtTheWord() {
    assertError(group("  10.0.0.1 8080\n").replace("virtual_server group VSG_1", "virtual_server group VSG_2"), 13, 22,
        "VSG_2", "no virtual_server_group VSG_2");
    assertError(group("  10.0.0.9-1 80\n"), 11, 3, "10.0.0.9-1", "the range ends before it starts");
    assertError(group("  10.0.0.0/8 80\n"), 11, 3, "10.0.0.0/8", "at most 4096 virtual services");
    assertError(group("  10.0.0.1-300 80\n"), 11, 3, "10.0.0.1-300", "the range's end must be the last octet");
    assertError(group("  fwmark 0\n"), 11, 10, "0", "fwmark must be an integer in 1..4294967295");
    assertError(group("  10.0.0.1 80\n") + "virtual_server_group VSG_1 {\n  10.0.0.2 80\n}\n", 22, 22, "VSG_1",
        "virtual_server_group VSG_1 is defined twice (first at line 10)");
    assertError(group(""), 10, 1, "virtual_server_group", "virtual_server_group VSG_1 is empty");
  }
}
