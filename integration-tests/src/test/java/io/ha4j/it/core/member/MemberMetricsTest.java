package io.ha4j.it.core.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.Role;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.VirtualService;
import io.ha4j.core.member.Member;
import io.ha4j.core.member.MemberEvent;
import io.ha4j.core.metrics.MemberMetrics;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.HealthLookup;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.testkit.vip.FakeAddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.MacAddress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The member's meters follow its events through a fail-over: a real member on the VIP owner over
 * the fake address kernel and the IPVS client over the fake IPVS kernel, on virtual time.
 */
class MemberMetricsTest {

  private final VirtualClock clock = new VirtualClock();
  private final VirtualScheduler scheduler = clock.newScheduler("member");
  private final FakeAddressKernel kernel = new FakeAddressKernel();
  private final FakeIpvsKernel ipvs = new FakeIpvsKernel();
  private final ScriptedElection election = new ScriptedElection();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<MemberEvent> events = new ArrayList<>();
  private VipOwner owner;
  private Member member;

  @BeforeEach
  void setUp() throws Exception {
    kernel.addInterface("eth0", MacAddress.parse("02:00:00:00:00:01"));
    VirtualAddress vip = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
    owner = VipOwner.builder(kernel, scheduler).manage(vip).build();
    InetAddress vipAddress = vip.address();
    ServiceKey web = ServiceKey.of(Protocol.TCP, vipAddress, 80);
    // FakeIpvsKernel, like ip_vs, answers ENOENT for a scheduler module that does not exist.
    ServiceKey broken = ServiceKey.of(Protocol.TCP, vipAddress, 443);
    List<RealServer> servers = List.of(RealServer.of(InetAddress.getByName("203.0.113.1"), 80),
        RealServer.of(InetAddress.getByName("203.0.113.2"), 80));
    member = Member.builder(scheduler, election, owner)
        .virtualAddresses(List.of(vip))
        .loadBalancer(new IpvsClient(ipvs, clock, Duration.ofSeconds(1)), HealthLookup.allUp())
        .service(DesiredService.of(VirtualService.of(web, "wlc"), servers))
        .service(DesiredService.of(VirtualService.of(broken, "nosuchsched"), List.of()))
        .listener(events::add)
        .build();
    new MemberMetrics(member).bindTo(registry);
  }

  @AfterEach
  void tearDown() {
    member.close();
    owner.close();
  }

  private void settle() {
    clock.advanceBy(Duration.ofMillis(1));
  }

  private double role(Role r) {
    return registry.get("ha4j.member.role").tags("node", "scripted", "role", r.name()).gauge().value();
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void rolesVipsTableOpsAndTheFailoverAreMetered() {
    member.start();
    settle();
    assertEquals(1.0, role(Role.INIT));
    // The first pass adds the good service and its two real servers, the kernel refuses the other.
    assertEquals(1.0, count("ha4j.table.ops", "op", "ADD_SERVICE"));
    assertEquals(2.0, count("ha4j.table.ops", "op", "ADD_REAL_SERVER"));
    assertEquals(1.0, count("ha4j.table.op.failures", "op", "ADD_SERVICE", "reason", "NOT_FOUND"));

    election.masterHeard = true;
    election.become(Role.BACKUP, "start");
    election.become(Role.MASTER, "higher priority than n2");
    settle();
    assertEquals(1.0, role(Role.MASTER));
    assertEquals(0.0, role(Role.BACKUP));
    assertEquals(1.0, count("ha4j.vip.acquired"));
    assertTrue(count("ha4j.vip.announced") >= 1.0);

    // Demoted by a preempting n2: a master is heard all along, so no time without one.
    election.become(Role.BACKUP, "higher priority 200 from n2");
    settle();
    assertEquals(1.0, count("ha4j.vip.released"));
    Timer failover = registry.get("ha4j.member.failover").timer();
    assertEquals(0, failover.count());

    // n2 dies: the next pass sees no master; this member takes over after the master-down interval.
    election.masterHeard = false;
    long lost = clock.nanoTime();
    member.reconcileNow();
    clock.advanceBy(Duration.ofMillis(3_609));
    election.become(Role.MASTER, "master-down timer expired");
    long regained = clock.nanoTime();
    settle();
    assertEquals(1, failover.count());
    assertEquals(regained - lost, (long) failover.totalTime(TimeUnit.NANOSECONDS));
    MemberEvent.MasterRegained event = events.stream()
        .filter(MemberEvent.MasterRegained.class::isInstance).map(MemberEvent.MasterRegained.class::cast)
        .findFirst().orElseThrow();
    assertEquals(Duration.ofNanos(regained - lost), event.withoutMaster());
    FunctionCounter without = registry.get("ha4j.member.without.master").functionCounter();
    assertEquals((regained - lost) / 1e9, without.count(), 1e-9);
    Gauge availability = registry.get("ha4j.member.availability").gauge();
    assertEquals(member.availability().availability(), availability.value(), 1e-12);
    assertTrue(availability.value() < 1.0);

    assertEquals(1.0, count("ha4j.member.role.transitions", "from", "INIT", "to", "BACKUP"));
    assertEquals(2.0, count("ha4j.member.role.transitions", "from", "BACKUP", "to", "MASTER"));
    assertEquals(1.0, count("ha4j.member.role.transitions", "from", "MASTER", "to", "BACKUP"));
    assertEquals(2.0, count("ha4j.vip.acquired"));
    assertEquals(1.0, role(Role.MASTER));
    // The broken service is retried on every pass; the good one is in place and left alone.
    double refused = count("ha4j.table.op.failures", "op", "ADD_SERVICE", "reason", "NOT_FOUND");
    assertTrue(refused >= 2.0, "refused " + refused);
    assertEquals(1.0, count("ha4j.table.ops", "op", "ADD_SERVICE"));
    assertEquals(0.0, count("ha4j.member.failures"));
  }

  @Test
  void anUnreachableTableIsCountedByReason() {
    // FakeIpvsKernel: without the ip_vs module the controller has no IPVS family (ENOENT).
    ipvs.ipvsLoaded(false);
    member.start();
    settle();
    Counter unreachable = registry.get("ha4j.table.unreachable").counter();
    assertEquals(1.0, unreachable.count());
    assertTrue(registry.find("ha4j.table.ops").counters().isEmpty());
  }
}
