package io.ha4j.it.core.member;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.VirtualService;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.core.member.Member;
import io.ha4j.core.member.MemberBuilder;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsDestination;
import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.testkit.vip.FakeAddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.MacAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member built on the health engine edits the table when a check changes the verdict, as
 * ldirectord does, instead of waiting for the next periodic reconcile pass.
 */
class MemberHealthTest {

  private static final Duration CHECK = Duration.ofSeconds(1);

  private final VirtualClock clock = new VirtualClock();
  private final VirtualScheduler scheduler = clock.newScheduler("member");
  private final FakeIpvsKernel ipvs = new FakeIpvsKernel();
  private final AtomicBoolean rs2Answers = new AtomicBoolean(true);
  private final HealthEngine health = new HealthEngine(scheduler, new Random(1));
  private VipOwner owner;
  private Member member;
  private IpvsClient client;
  private ServiceKey web;

  private Member build(boolean followEngine) throws Exception {
    FakeAddressKernel kernel = new FakeAddressKernel();
    kernel.addInterface("eth0", MacAddress.parse("02:00:00:00:00:01"));
    VirtualAddress vip = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
    owner = VipOwner.builder(kernel, scheduler).manage(vip).build();
    web = ServiceKey.of(Protocol.TCP, vip.address(), 80);
    RealServer rs1 = RealServer.of(InetAddress.getByName("203.0.113.1"), 80);
    RealServer rs2 = RealServer.of(InetAddress.getByName("203.0.113.2"), 80);
    health.register(HealthEngine.targetId(web, rs1.endpoint()),
        ctx -> CompletableFuture.completedFuture(CheckResult.up("ok")), CheckSettings.of(CHECK, CHECK));
    health.register(HealthEngine.targetId(web, rs2.endpoint()),
        ctx -> CompletableFuture.completedFuture(rs2Answers.get() ? CheckResult.up("ok") : CheckResult.down("refused")),
        CheckSettings.of(CHECK, CHECK));
    client = new IpvsClient(ipvs, clock, Duration.ofSeconds(1));
    MemberBuilder b = Member.builder(scheduler, new ScriptedElection(), owner)
        .virtualAddresses(List.of(vip))
        .service(DesiredService.of(VirtualService.of(web, "wlc"), List.of(rs1, rs2)))
        // Far longer than the test: only a health change can trigger the pass that matters.
        .reconcileInterval(Duration.ofHours(1));
    if (followEngine) {
      b.loadBalancer(client, health);
    } else {
      b.loadBalancer(client, health.lookup());
    }
    member = b.build();
    member.start();
    clock.advanceBy(CHECK.multipliedBy(3));
    return member;
  }

  @AfterEach
  void tearDown() {
    if (member != null) {
      member.close();
    }
    if (owner != null) {
      owner.close();
    }
    health.close();
  }

  private int destinations() {
    return client.destinations(web).size();
  }

  @Test
  void aFailedCheckTakesTheRealServerOutWithinOneCheckInterval() throws Exception {
    build(true);
    assertEquals(2, destinations());
    rs2Answers.set(false);
    clock.advanceBy(CHECK.plusMillis(1));
    assertEquals(1, destinations(), "rs2 left the table at its failed check");
    List<IpvsDestination> left = client.destinations(web);
    assertEquals(InetAddress.getByName("203.0.113.1"), left.get(0).realServer().endpoint().address());
    rs2Answers.set(true);
    clock.advanceBy(CHECK.plusMillis(1));
    assertEquals(2, destinations(), "rs2 came back at its next good check");
  }

  @Test
  void aMemberGivenOnlyTheLookupWaitsForItsPeriodicPass() throws Exception {
    // The control: the same wiring through a bare HealthLookup knows nothing of the change.
    build(false);
    assertEquals(2, destinations());
    rs2Answers.set(false);
    clock.advanceBy(CHECK.plusMillis(1));
    assertEquals(2, destinations());
  }
}
