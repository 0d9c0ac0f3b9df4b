package io.ha4j.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import io.ha4j.core.time.SystemScheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.api.health.HealthState;
import io.ha4j.core.member.Member;
import io.ha4j.api.table.TableEntry;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import io.ha4j.testkit.net.SimulatedNetwork;
import io.ha4j.testkit.vip.FakeAddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.MacAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's embedding snippet is the code that runs here, so it cannot rot. */
class EmbeddingSnippetTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void readmeQuotesTheSnippetVerbatim() throws Exception {
    String source = Files.readString(ROOT.resolve("examples/src/main/java/io/ha4j/examples/embedding/Director.java"));
    Matcher m = Pattern.compile("// README-BEGIN\\n(.*?)\\n\\s*// README-END", Pattern.DOTALL).matcher(source);
    assertTrue(m.find(), "markers in Director.java");
    String snippet = m.group(1).lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    assertTrue(readme.contains("```java\n" + snippet + "\n```"),
        "README.md must quote Director.start's snippet verbatim:\n" + snippet);
  }

  @Test
  void theSnippetElectsItselfTakesTheVipAndProgramsIpvs() throws Exception {
    try (SystemScheduler scheduler = new SystemScheduler("snippet");
        ServerSocket rs1 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket rs2 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        HealthEngine health = new HealthEngine(scheduler);
        IpvsClient ipvs = new IpvsClient(new FakeIpvsKernel(), scheduler.clock(), Duration.ofSeconds(2))) {
      FakeAddressKernel kernel = new FakeAddressKernel();
      kernel.addInterface("eth0", MacAddress.parse("02:00:00:00:00:01"));
      VirtualAddress vip = Director.exampleVip("eth0");
      SimulatedNetwork lan = new SimulatedNetwork(scheduler, 1);
      var heartbeat = lan.attach(new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 5405), scheduler);
      try (VipOwner vips = VipOwner.builder(kernel, scheduler).manage(vip).build()) {
        List<InetSocketAddress> pool = List.of(
            (InetSocketAddress) rs1.getLocalSocketAddress(), (InetSocketAddress) rs2.getLocalSocketAddress());
        Member member = Director.start(scheduler, heartbeat, vips, ipvs, health, vip,
            new InetSocketAddress(InetAddress.getByName("198.51.100.2"), 5405), pool);
        // Alone on the network, the director is master after one master-down interval (~0.4 s).
        await("master", () -> member.role() == Role.MASTER);
        await("VIP on eth0", () -> kernel.has("eth0", vip.address()));
        await("checks up", () -> health.targets().stream().allMatch(t -> health.state(t) == HealthState.UP));
        await("IPVS programmed", () -> ipvs.read().stream().anyMatch(e -> e.realServers().size() == 2));
        TableEntry entry = ipvs.read().get(0);
        assertEquals("wlc", entry.service().scheduler());
        member.stop();
        await("VIP released", () -> !kernel.has("eth0", vip.address()));
      }
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }
}
