package io.ha4j.testkit.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableException;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsDestination;
import io.ha4j.ipvs.IpvsException;
import io.ha4j.ipvs.IpvsService;
import io.ha4j.ipvs.IpvsTimeouts;
import io.ha4j.ipvs.SyncDaemon;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The IPVS client against the fake kernel; errno values per net/netfilter/ipvs/ip_vs_ctl.c. */
class FakeIpvsKernelTest {

  final FakeIpvsKernel kernel = new FakeIpvsKernel();
  final IpvsClient client = new IpvsClient(kernel, () -> 0L, Duration.ofSeconds(1));

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  static ServiceKey tcp(String addr, int port) throws Exception {
    return ServiceKey.of(Protocol.TCP, ip(addr), port);
  }

  @Test
  void addListEditDelete() throws Exception {
    ServiceKey web = tcp("198.51.100.10", 80);
    client.addService(VirtualService.of(web, "rr"));
    RealServer r1 = RealServer.of(ip("203.0.113.1"), 8080).withForwarding(ForwardingMethod.NAT).withWeight(5).withThresholds(100, 10);
    RealServer r2 = RealServer.of(ip("203.0.113.2"), 8080);
    client.addRealServer(web, r1);
    client.addRealServer(web, r2);
    List<IpvsService> services = client.services();
    assertEquals(1, services.size());
    assertEquals(VirtualService.of(web, "rr"), services.get(0).service());
    assertEquals(0x2, services.get(0).kernelFlags(), "the kernel marks every service HASHED");
    List<IpvsDestination> dests = client.destinations(web);
    // list_add_rcu: the newest destination is listed first.
    assertEquals(List.of(r2, r1), dests.stream().map(IpvsDestination::realServer).toList());

    client.updateService(VirtualService.of(web, "wlc").withPersistence(300, 24));
    assertEquals(VirtualService.of(web, "wlc").withPersistence(300, 24), client.service(web).service());
    client.updateRealServer(web, r1.withWeight(0));
    client.deleteRealServer(web, r2.endpoint());
    assertEquals(List.of(new TableEntry(VirtualService.of(web, "wlc").withPersistence(300, 24), List.of(r1.withWeight(0)))),
        client.read());
    client.deleteService(web);
    assertEquals(List.of(), client.read());
  }

  @Test
  void kernelErrnos() throws Exception {
    ServiceKey web = tcp("198.51.100.10", 80);
    client.addService(VirtualService.of(web, "rr"));
    assertReason(TableException.Reason.EXISTS, 17, () -> client.addService(VirtualService.of(web, "rr")));
    assertReason(TableException.Reason.NO_SUCH_SERVICE, 3,
        () -> client.updateService(VirtualService.of(tcp("198.51.100.10", 443), "wlc")));
    assertReason(TableException.Reason.NOT_FOUND, 2,
        () -> client.addService(VirtualService.of(tcp("198.51.100.11", 80), "nosuch")));
    assertReason(TableException.Reason.NOT_FOUND, 2,
        () -> client.deleteRealServer(web, new RealServer.Endpoint(ip("203.0.113.9"), 80)));
    assertReason(TableException.Reason.NO_SUCH_SERVICE, 3, () -> client.service(tcp("198.51.100.99", 1)));
    assertReason(TableException.Reason.OTHER, 34,
        () -> client.addRealServer(web, RealServer.of(ip("203.0.113.1"), 80).withThresholds(5, 10)));
    assertReason(TableException.Reason.INVALID, 22, () -> client.addRealServer(web,
        RealServer.of(ip("203.0.113.1"), 80).withForwarding(ForwardingMethod.TUN).withTunnel(TunnelType.GUE, 0, 0)));
    // A destination dump of a missing service is empty, not an error (ip_vs_genl_dump_dests).
    assertEquals(List.of(), client.destinations(tcp("198.51.100.99", 1)));
  }

  static void assertReason(TableException.Reason reason, int errno, org.junit.jupiter.api.function.Executable op) {
    IpvsException e = assertThrows(IpvsException.class, op);
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(errno, e.errno(), e.getMessage());
  }

  @Test
  void infoTimeoutsDaemonsZeroFlush() throws Exception {
    assertEquals("1.2.1", client.info().versionString());
    assertEquals(new IpvsTimeouts(900, 120, 300), client.timeouts());
    client.setTimeouts(new IpvsTimeouts(0, 60, 0)); // 0 keeps the value
    assertEquals(new IpvsTimeouts(900, 60, 300), client.timeouts());

    client.startDaemon(SyncDaemon.of(SyncDaemon.State.MASTER, "lo", 7));
    assertEquals(List.of(new SyncDaemon(SyncDaemon.State.MASTER, "lo", 7, 1472, ip("224.0.0.81"), 8848, 1)),
        client.daemons());
    assertReason(TableException.Reason.EXISTS, 17, () -> client.startDaemon(SyncDaemon.of(SyncDaemon.State.MASTER, "lo", 7)));
    client.stopDaemon(SyncDaemon.State.MASTER);
    assertEquals(List.of(), client.daemons());

    ServiceKey fw = ServiceKey.fwmark(42, AddressFamily.INET6);
    client.addService(new VirtualService(fw, "mh", Set.of(ServiceFlag.SCHED1), 0, 128, null));
    kernel.setServiceStats(kernel.serviceKeys().get(0), 10, 20, 30, 4000, 5000, 1, 2, 3, 4, 5);
    assertEquals(4000, client.services().get(0).stats().inBytes());
    client.zero();
    assertEquals(0, client.services().get(0).stats().inBytes());
    client.flush();
    assertEquals(List.of(), client.services());
  }

  @Test
  void largeDumpArrivesInPageSizedParts() throws Exception {
    List<TableOp> ops = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      ops.add(new TableOp.AddService(VirtualService.of(tcp("198.51.100." + (i % 250 + 1), 1000 + i), "rr")));
    }
    assertTrue(client.apply(ops).ok());
    long before = kernel.requests();
    assertEquals(600, client.services().size());
    assertEquals(before + 1, kernel.requests(), "one dump request, many datagrams");
  }

  @Test
  void applyReportsExactlyWhichOpsFailed() throws Exception {
    ServiceKey a = tcp("198.51.100.1", 80);
    ServiceKey b = tcp("198.51.100.2", 80);
    List<TableOp> ops = List.of(
        new TableOp.AddService(VirtualService.of(a, "rr")),
        new TableOp.AddService(VirtualService.of(a, "rr")), // EEXIST
        new TableOp.AddRealServer(b, RealServer.of(ip("203.0.113.1"), 80)), // ESRCH
        new TableOp.AddRealServer(a, RealServer.of(ip("203.0.113.1"), 80)),
        new TableOp.DeleteService(b)); // ESRCH
    ApplyResult r = client.apply(ops);
    assertEquals(5, r.attempted());
    assertEquals(List.of(1, 2, 4), r.failures().stream().map(ApplyResult.Failure::index).toList());
    assertEquals(List.of(17, 3, 3), r.failures().stream().map(f -> ((IpvsException) f.error()).errno()).toList());
    assertEquals(1, client.destinations(a).size());
  }

  @Test
  void overrunDuringABatchFailsOnlyTheOpsInFlight() throws Exception {
    client.info();
    List<TableOp> ops = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ops.add(new TableOp.AddService(VirtualService.of(tcp("198.51.100.1", 1 + i), "rr")));
    }
    // The ack of the first op of the first window is dropped with ENOBUFS; the kernel applied them all.
    kernel.inject(IpvsFault.ENOBUFS);
    ApplyResult r = client.apply(ops);
    assertEquals(IpvsClient.APPLY_WINDOW, r.failures().size(), "the whole first window is in doubt");
    assertTrue(r.failures().stream().allMatch(f -> f.error().reason() == TableException.Reason.OVERRUN));
    assertEquals(0, r.failures().get(0).index());
    assertEquals(200, client.services().size());
  }

  @Test
  void overrunDuringADumpRestartsIt() throws Exception {
    client.addService(VirtualService.of(tcp("198.51.100.1", 80), "rr"));
    kernel.inject(IpvsFault.ENOBUFS);
    assertEquals(1, client.services().size());
  }

  @Test
  void lostReplyTimesOutAndLateReplyIsIgnored() throws Exception {
    client.info(); // resolve the family first
    kernel.inject(IpvsFault.LOST_REPLY);
    assertReason(TableException.Reason.TIMEOUT, 0, () -> client.addService(VirtualService.of(tcp("198.51.100.1", 80), "rr")));
    kernel.inject(IpvsFault.DELAY);
    assertReason(TableException.Reason.TIMEOUT, 0, () -> client.addService(VirtualService.of(tcp("198.51.100.2", 80), "rr")));
    // The delayed ack arrives now, ahead of this request's replies, and is skipped by sequence number.
    assertEquals(2, client.services().size());
  }

  @Test
  void daemonStoppedBeforeItsThreadRanIsStoppedThoughTheKernelSaysNothing() throws Exception {
    // The kernel's silence when a stop comes before the daemon's thread ran (IpvsKernelDifferentialIT
    // saw it in the VM): the daemon is stopped, the stop's ack never comes, the fence's does.
    for (SyncDaemon.State state : SyncDaemon.State.values()) {
      client.startDaemon(SyncDaemon.of(state, "lo", 7));
      kernel.inject(IpvsFault.LOST_REPLY);
      client.stopDaemon(state);
      assertEquals(List.of(), client.daemons());
    }
    // The stop of a daemon that does not run still fails as the kernel says.
    assertReason(TableException.Reason.NO_SUCH_SERVICE, 3, () -> client.stopDaemon(SyncDaemon.State.MASTER));
  }

  @Test
  void truncatedAndCorruptRepliesAreProtocolErrors() throws Exception {
    client.addService(VirtualService.of(tcp("198.51.100.1", 80), "rr"));
    kernel.inject(IpvsFault.TRUNCATED);
    IpvsException t = assertThrows(IpvsException.class, client::services);
    assertTrue(t.reason() == TableException.Reason.PROTOCOL || t.reason() == TableException.Reason.TIMEOUT, t.getMessage());
    kernel.inject(IpvsFault.CORRUPT);
    assertThrows(IpvsException.class, client::services);
    assertEquals(1, client.services().size(), "the client recovers on the next request");
  }

  @Test
  void unloadedModuleIsReported() {
    kernel.ipvsLoaded(false);
    IpvsException e = assertThrows(IpvsException.class, client::services);
    assertTrue(e.getMessage().contains("ip_vs module not loaded"), e.getMessage());
  }

  @Test
  void garbageRequestsGetEinval() {
    // A request whose service nest is cut short: the fake answers EINVAL as the kernel's policy does.
    ByteBuffer b = ByteBuffer.allocate(28).order(java.nio.ByteOrder.nativeOrder());
    b.putInt(28).putShort((short) 0x20).putShort((short) 5).putInt(9).putInt(0).put((byte) 1).put((byte) 1).putShort((short) 0)
        .putShort((short) 8).putShort((short) 0x8001).putInt(0x00010006);
    kernel.send(b.flip());
    ByteBuffer reply = kernel.receive(Duration.ZERO);
    assertEquals(2, reply.getShort(4)); // NLMSG_ERROR
    assertEquals(-22, reply.getInt(16));
  }
}
