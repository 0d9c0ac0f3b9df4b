package io.ha4j.it.core.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.Role;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.VirtualService;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.core.member.Member;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.heartbeat.ElectionFixture;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import io.ha4j.testkit.net.SimulatedNetwork;
import io.ha4j.testkit.vip.FakeAddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.MacAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 6: 200 real servers fail at once under a master at 20 ms adverts, while every read
 * of its load-balancer table blocks the member's thread for a second (a netlink reply that waits).
 * The election runs on a scheduler of its own, as the director wires it: its advert timer keeps
 * time, the backup never takes over, and the storm of health changes costs a few coalesced table
 * reads, not one per change.
 */
class MemberStormTest {

  private static final int PORT = 5405;
  private static final int SERVERS = 200;
  private static final Duration ADVERT = Duration.ofMillis(20);
  private static final Duration CHECK = Duration.ofSeconds(1);
  /** How long each full read of the table holds the member's thread. */
  private static final Duration READ_STALL = Duration.ofSeconds(1);

  private final VirtualClock clock = new VirtualClock();
  private final SimulatedNetwork network = new SimulatedNetwork(clock.newScheduler("wire"), 16);
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  /** A transport that notes when each datagram reaches the election. */
  private record Stamped(DatagramTransport transport, VirtualClock clock, List<Long> arrivals)
      implements DatagramTransport {
    @Override
    public void start(Consumer<Datagram> receiver) {
      transport.start(d -> {
        arrivals.add(clock.nanoTime());
        receiver.accept(d);
      });
    }

    @Override
    public void send(InetSocketAddress destination, ByteBuffer payload) {
      transport.send(destination, payload);
    }

    @Override
    public void close() {
      transport.close();
    }
  }

  private static InetAddress host(int n) throws Exception {
    return InetAddress.getByName("198.51.100." + n);
  }

  private VrrpElection election(String name, int n, int priority, int peer, List<Long> arrivals) throws Exception {
    VirtualScheduler s = clock.newScheduler(name + "-election");
    HeartbeatConfig config = HeartbeatConfig.builder().clusterId(ElectionFixture.CLUSTER).groupId(51)
        .nodeId(name).priority(priority).advertisementInterval(ADVERT).key(ElectionFixture.KEY)
        .destination(new InetSocketAddress(host(peer), PORT)).build();
    DatagramTransport t = new Stamped(network.attach(new InetSocketAddress(host(n), PORT), s), clock, arrivals);
    VrrpElection e = new VrrpElection(config, t, s);
    closing.add(e);
    return e;
  }

  @Test
  void twoHundredFailingRealServersUnderASlowTableCauseNoFalseFailOver() throws Exception {
    List<Long> atBackup = new CopyOnWriteArrayList<>();
    VrrpElection master = election("master", 1, 200, 2, new ArrayList<>());
    VrrpElection backup = election("backup", 2, 100, 1, atBackup);
    List<Role> backupRoles = new CopyOnWriteArrayList<>();
    backup.addListener(new ElectionListener() {
      @Override
      public void onRoleChange(RoleChange change) {
        backupRoles.add(change.to());
      }

      @Override
      public void onReannounce(String reason) {}
    });

    VirtualScheduler memberThread = clock.newScheduler("master-member");
    FakeAddressKernel kernel = new FakeAddressKernel();
    kernel.addInterface("eth0", MacAddress.parse("02:00:00:00:00:01"));
    VirtualAddress vip = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0");
    VipOwner owner = VipOwner.builder(kernel, memberThread).manage(vip).build();
    closing.add(owner);
    HealthEngine health = new HealthEngine(memberThread, new Random(16));
    closing.add(health);
    ServiceKey web = ServiceKey.of(Protocol.TCP, vip.address(), 80);
    AtomicBoolean answering = new AtomicBoolean(true);
    List<RealServer> pool = new ArrayList<>();
    for (int i = 1; i <= SERVERS; i++) {
      RealServer rs = RealServer.of(InetAddress.getByName("203.0.113." + i), 8000 + i);
      pool.add(rs);
      health.register(HealthEngine.targetId(web, rs.endpoint()), ctx -> CompletableFuture.completedFuture(
          answering.get() ? CheckResult.up("200 OK") : CheckResult.down("connection refused")),
          CheckSettings.of(CHECK, CHECK));
    }
    IpvsClient ipvs = new IpvsClient(new FakeIpvsKernel(), clock, Duration.ofSeconds(5));
    SlowTable table = new SlowTable(ipvs, () -> memberThread.freeze(READ_STALL));
    Member member = Member.builder(memberThread, master, owner)
        .virtualAddresses(List.of(vip))
        .service(DesiredService.of(VirtualService.of(web, "wlc"), pool))
        .loadBalancer(table, health)
        // Far longer than the test: the passes that count come from the health changes.
        .reconcileInterval(Duration.ofHours(1))
        .build();
    closing.add(0, member);
    member.start();
    backup.start();
    clock.advanceBy(Duration.ofSeconds(10));
    assertEquals(Role.MASTER, master.role());
    assertEquals(Role.BACKUP, backup.role());
    assertEquals(SERVERS, ipvs.destinations(web).size(), "every real server in the table");

    int readsBefore = table.reads();
    int heardBefore = atBackup.size();
    backupRoles.clear();
    answering.set(false);
    Duration storm = Duration.ofSeconds(20);
    clock.advanceBy(storm);

    List<Long> arrivals = atBackup.subList(heardBefore, atBackup.size());
    long maxGap = 0;
    for (int i = 1; i < arrivals.size(); i++) {
      maxGap = Math.max(maxGap, arrivals.get(i) - arrivals.get(i - 1));
    }
    double meanGap = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / (double) (arrivals.size() - 1);
    int reads = table.reads() - readsBefore;
    System.out.printf("[member storm] %d real servers down at once, each table read stalls the member %d ms:"
        + " %d adverts at the backup, gaps max %.1f ms mean %.1f ms, %d full table reads, backup roles %s%n",
        SERVERS, READ_STALL.toMillis(), arrivals.size(), maxGap / 1e6, meanGap / 1e6, reads, backupRoles);

    assertEquals(List.of(), backupRoles, "the backup must not take over");
    assertEquals(Role.MASTER, master.role());
    assertTrue(maxGap <= ADVERT.toNanos() * 3 / 2, "advert gap " + maxGap / 1e6 + " ms at the backup");
    assertTrue(arrivals.size() >= storm.toMillis() / ADVERT.toMillis() * 9 / 10, arrivals.size() + " adverts");
    // The first change's pass, one more for what came while it read, and a spare.
    assertTrue(reads <= 3, reads + " full table reads for one storm of health changes");
    assertEquals(0, ipvs.destinations(web).size(), "every failed real server left the table");
  }
}
