package io.ha4j.heartbeat.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * Issue 16 item 14: VRRPv3 has no authentication, so its node ids are source addresses anyone can
 * forge. What the election keeps per sender stays bounded, and a warning any packet can cause is
 * rate-limited, under a flood of forged sources (198.18.0.0/15, RFC 2544's test range).
 */
class ForgedVrrpSourcesTest {

  private static final int SOURCES = 20_000;

  private final Vrrp3ElectionTest rig = new Vrrp3ElectionTest();
  private final AtomicInteger warnings = new AtomicInteger();

  @Test
  void manyForgedSourcesKeepTheHeardMembersBoundedAndTheMismatchWarningsRateLimited() throws Exception {
    HeartbeatConfig config = HeartbeatConfig.builder().groupId(51).nodeId(VrrpWireFormat.nodeId(Vrrp3ElectionTest.N1))
        .priority(100).advertisementInterval(Duration.ofSeconds(1)).key(1, new byte[16])
        .virtualAddress(Vrrp3ElectionTest.VIP).destination(new InetSocketAddress(Vrrp3ElectionTest.GROUP, 0)).build();
    VrrpElection e = new VrrpElection(config, VrrpWireFormat.of(config, Vrrp3ElectionTest.N1, false), rig.transport,
        rig.scheduler, countingWarnings());
    e.start();
    rig.clock.runDue();
    InetAddress otherVip = InetAddress.getByName("203.0.113.77");
    for (int i = 0; i < SOURCES; i++) {
      InetAddress source = forged(i);
      VrrpAdvertisement adv = new VrrpAdvertisement(51, 50, 100, List.of(otherVip));
      rig.transport.deliver(VrrpWireFormat.ipPacket(source, Vrrp3ElectionTest.GROUP, 255,
          VrrpCodec.encode(adv, source, Vrrp3ElectionTest.GROUP)));
    }
    assertEquals(SOURCES, e.stats().accepted(), "each forged packet is well-formed VRRPv3");
    assertEquals(SOURCES, e.stats().vipMismatches());
    assertTrue(e.liveMembers() <= 1 + 256, "members kept: " + e.liveMembers());
    assertTrue(warnings.get() <= 2, "warnings: " + warnings.get());
  }

  private static InetAddress forged(int i) throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {(byte) 198, (byte) (18 + (i >> 16)), (byte) (i >> 8), (byte) i});
  }

  private Logger countingWarnings() {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (proxy, method, args) -> {
          if (method.getName().equals("warn")) {
            warnings.incrementAndGet();
          }
          Class<?> r = method.getReturnType();
          return r == boolean.class ? Boolean.FALSE : r == String.class ? "counting" : null;
        });
  }

}
