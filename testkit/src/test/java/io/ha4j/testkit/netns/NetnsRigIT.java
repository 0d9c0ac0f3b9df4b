package io.ha4j.testkit.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

@NetnsTest
class NetnsRigIT {

  @Test
  void hostsReachEachOtherOverTheBridgeAndEverythingIsGoneAfterClose() throws Exception {
    String n1;
    String br;
    File log = File.createTempFile("rig", ".log");
    try (NetnsRig rig = NetnsRig.bridge("rig", 3)) {
      n1 = rig.namespace(1);
      br = rig.bridgeNamespace();
      assertTrue(rig.exec(1, "ping", "-c", "1", "-W", "2", rig.address(3).getHostAddress()).ok(), "IPv4 1 -> 3");
      assertTrue(rig.exec(2, "ping", "-6", "-c", "1", "-W", "2", rig.address6(1).getHostAddress()).ok(), "IPv6 2 -> 1");
      String link = rig.exec(2, "ip", "-o", "link", "show", rig.interfaceName(2)).orThrow().stdout();
      assertTrue(link.contains(rig.mac(2)), link);
      Process p = rig.start(3, List.of("sleep", "600"), log);
      assertTrue(p.isAlive());
      rig.close();
      assertFalse(p.isAlive(), "processes started in the rig end with it");
    } finally {
      Files.deleteIfExists(log.toPath());
    }
    String left = new ProcessBuilder("ip", "netns", "list").start().inputReader().lines()
        .filter(l -> l.startsWith(n1) || l.startsWith(br)).findAny().orElse("");
    assertEquals("", left, "namespaces are deleted on close");
  }
}
