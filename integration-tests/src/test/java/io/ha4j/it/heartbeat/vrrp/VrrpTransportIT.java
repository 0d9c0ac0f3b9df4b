package io.ha4j.it.heartbeat.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.ha4j.api.AddressFamily;
import io.ha4j.core.time.SystemScheduler;
import io.ha4j.api.transport.Datagram;
import io.ha4j.heartbeat.AdvertisementCodec;
import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.vrrp.VrrpAdvertisement;
import io.ha4j.heartbeat.vrrp.VrrpCodec;
import io.ha4j.heartbeat.vrrp.VrrpWireFormat;
import io.ha4j.heartbeat.vrrp.linux.VrrpTransport;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The raw VRRP transport between two namespaces, both sockets opened from this JVM through
 * {@code setns} on a short-lived thread. What arrives is the IP packet with TTL / hop limit 255
 * (RFC 5798 5.1.1.3 / 5.1.2.3), multicast and unicast; a malformed packet is delivered for the
 * wire format to count and does not stop the receive loop.
 */
@NetnsTest
class VrrpTransportIT {

  static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void ipv4MulticastAndUnicastArriveWithTtl255AndGarbageDoesNotStopTheLoop() throws Exception {
    try (NetnsRig rig = NetnsRig.bridge("vrt", 2);
        SystemScheduler scheduler = new SystemScheduler("vrrp-transport-it")) {
      InetAddress a1 = rig.address(1);
      InetAddress a2 = rig.address(2);
      VrrpWireFormat receiverFormat = new VrrpWireFormat(51, a2, List.of(InetAddress.getByName("198.51.100.100")), false);
      try (VrrpTransport t1 = VrrpTransport.open(rig.namespace(1), rig.interfaceName(1), AddressFamily.INET, true, scheduler);
          VrrpTransport t2 = VrrpTransport.open(rig.namespace(2), rig.interfaceName(2), AddressFamily.INET, true, scheduler)) {
        BlockingQueue<Datagram> got = new LinkedBlockingQueue<>();
        t2.start(got::add);
        t1.start(d -> { });
        VrrpAdvertisement adv = new VrrpAdvertisement(51, 200, 10, List.of(InetAddress.getByName("198.51.100.100")));

        t1.send(new InetSocketAddress(VrrpCodec.group4(), 0), VrrpCodec.encode(adv, a1, VrrpCodec.group4()));
        Datagram mc = poll(got);
        assertEquals(255, mc.ttl());
        assertEquals(a1, mc.source().getAddress());
        assertEquals(200, valid(receiverFormat.decode(mc)).priority());

        t1.send(new InetSocketAddress(a2, 0), ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertEquals(DropReason.MALFORMED, rejected(receiverFormat.decode(poll(got))));

        t1.send(new InetSocketAddress(a2, 0), VrrpCodec.encode(adv, a1, a2));
        Datagram uc = poll(got);
        assertEquals(255, uc.ttl());
        assertEquals(200, valid(receiverFormat.decode(uc)).priority());
        assertEquals(0, t2.receiveErrors());
        assertEquals(0, t1.sendFailures());
      }
    }
  }

  @Test
  void ipv6MulticastArrivesWithHopLimit255AndItsDestination() throws Exception {
    try (NetnsRig rig = NetnsRig.bridge("vrt6", 2);
        SystemScheduler scheduler = new SystemScheduler("vrrp-transport-it6")) {
      // The kernel picks the link-local source for ff02::12.
      InetAddress ll1 = LinkLocal.of(rig, 1);
      InetAddress ll2 = LinkLocal.of(rig, 2);
      InetAddress vip = InetAddress.getByName("2001:db8::100");
      VrrpWireFormat receiverFormat = new VrrpWireFormat(51, ll2, List.of(vip), false);
      try (VrrpTransport t1 = VrrpTransport.open(rig.namespace(1), rig.interfaceName(1), AddressFamily.INET6, true, scheduler);
          VrrpTransport t2 = VrrpTransport.open(rig.namespace(2), rig.interfaceName(2), AddressFamily.INET6, true, scheduler)) {
        BlockingQueue<Datagram> got = new LinkedBlockingQueue<>();
        t2.start(got::add);
        t1.start(d -> { });
        VrrpAdvertisement adv = new VrrpAdvertisement(51, 200, 10, List.of(vip));
        t1.send(new InetSocketAddress(VrrpCodec.group6(), 0), VrrpCodec.encode(adv, ll1, VrrpCodec.group6()));
        Datagram d = poll(got);
        assertEquals(255, d.ttl());
        assertEquals(ll1, d.source().getAddress());
        assertEquals(200, valid(receiverFormat.decode(d)).priority(), "checksum over ff02::12 from the rebuilt header");
      }
    }
  }

  private static Datagram poll(BlockingQueue<Datagram> q) throws InterruptedException {
    Datagram d = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (d == null) {
      throw new AssertionError("nothing received within " + WAIT);
    }
    return d;
  }

  private static io.ha4j.heartbeat.Advertisement valid(AdvertisementCodec.Decoded d) {
    return assertInstanceOf(AdvertisementCodec.Valid.class, d).advertisement();
  }

  private static DropReason rejected(AdvertisementCodec.Decoded d) {
    return assertInstanceOf(AdvertisementCodec.Rejected.class, d).reason();
  }
}
