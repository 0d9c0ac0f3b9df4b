package io.ha4j.testkit.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsException;
import io.ha4j.ipvs.SyncDaemon;
import io.ha4j.linux.Errno;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Where the fake once answered differently from the real ip_vs: the kernel's behaviour, observed on
 * 6.1 ip_vs in the VM (IpvsadmKernelIT), kept as fake-only cases that run everywhere.
 */
class FakeIpvsKernelObservedTest {

  // observed on 6.1 ip_vs in the VM: IpvsadmKernelIT#daemonListingPrintsWhatIpvsadmPrints
  @Test
  void syncDaemonsAndMixedFamilyRealServersExcludeEachOther() throws Exception {
    try (IpvsClient client = new IpvsClient(new FakeIpvsKernel(), () -> 0L, Duration.ofSeconds(1))) {
      ServiceKey v4 = ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100.1"), 80);
      RealServer mixed = RealServer.of(InetAddress.getByName("2001:db8::22"), 80)
          .withForwarding(ForwardingMethod.TUN).withTunnel(TunnelType.GUE, 6081, 2);
      SyncDaemon master = SyncDaemon.of(SyncDaemon.State.MASTER, "sync1", 5);
      client.addService(VirtualService.of(v4, "rr"));
      client.addRealServer(v4, mixed);

      assertEquals(Errno.EINVAL.number(), assertThrows(IpvsException.class, () -> client.startDaemon(master)).errno());

      client.deleteRealServer(v4, mixed.endpoint());
      client.startDaemon(master);

      assertEquals(Errno.EINVAL.number(),
          assertThrows(IpvsException.class, () -> client.addRealServer(v4, mixed)).errno());

      client.stopDaemon(SyncDaemon.State.MASTER);
      client.addRealServer(v4, mixed);
    }
  }
}
