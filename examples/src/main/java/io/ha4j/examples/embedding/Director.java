package io.ha4j.examples.embedding;

import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.Scheduler;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.VirtualService;
import io.ha4j.api.address.AddressOwner;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.core.health.TcpCheck;
import io.ha4j.core.member.Member;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One LVS director of a pair, as the README shows it. The parts that touch the host come in as
 * arguments; on a real director they are:
 *
 * <pre>{@code
 * SystemScheduler scheduler = new SystemScheduler();
 * DatagramTransport heartbeat = UdpTransport.unicast(new InetSocketAddress("198.51.100.1", 5405), scheduler);
 * AddressOwner vips = VipOwner.builder(LinuxAddressKernel.open(), scheduler).manage(vip).build();
 * LoadBalancerTable ipvs = IpvsClient.open();
 * HealthEngine health = new HealthEngine(scheduler);
 * }</pre>
 *
 * and in a test, the testkit's simulated network and byte-level fake kernels.
 */
public final class Director {

  private Director() {}

  /** The README's embedding snippet: everything between the markers is quoted there verbatim. */
  public static Member start(Scheduler scheduler, DatagramTransport heartbeat, AddressOwner vips,
      LoadBalancerTable ipvs, HealthEngine health, VirtualAddress vip, InetSocketAddress peer,
      List<InetSocketAddress> realServers) {
    // README-BEGIN
    VrrpElection election = new VrrpElection(HeartbeatConfig.builder()
        .clusterId(7).groupId(51).nodeId("director-1").priority(150)
        .advertisementInterval(Duration.ofMillis(100))
        .key(1, "a shared secret of 16+ bytes".getBytes(StandardCharsets.UTF_8))
        .destination(peer)                       // the other director
        .virtualAddress(vip)
        .build(), heartbeat, scheduler);

    ServiceKey web = ServiceKey.of(Protocol.TCP, vip.address(), 80);
    List<RealServer> pool = new ArrayList<>();
    for (InetSocketAddress rs : realServers) {
      RealServer server = RealServer.of(rs.getAddress(), rs.getPort());   // direct routing, weight 1
      pool.add(server);
      health.register(HealthEngine.targetId(web, server.endpoint()), new TcpCheck(rs),
          CheckSettings.of(Duration.ofSeconds(2), Duration.ofSeconds(1)).withFall(2));
    }

    Member member = Member.builder(scheduler, election, vips)
        .virtualAddresses(List.of(vip))                   // taken and announced by the master
        .loadBalancer(ipvs, health)                       // IPVS follows the health checks
        .service(DesiredService.of(VirtualService.of(web, "wlc"), pool))
        .build();
    member.start();
    // README-END
    return member;
  }

  /** The VIP of the README's example. */
  public static VirtualAddress exampleVip(String interfaceName) {
    try {
      return VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, interfaceName);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
