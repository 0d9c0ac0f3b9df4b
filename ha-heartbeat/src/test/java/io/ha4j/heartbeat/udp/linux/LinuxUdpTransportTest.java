package io.ha4j.heartbeat.udp.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.core.time.SystemScheduler;
import io.ha4j.api.transport.Datagram;
import io.ha4j.heartbeat.linux.internal.SocketAddresses;
import io.ha4j.heartbeat.udp.UdpTransport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native UDP transport on loopback: the same bytes as {@link UdpTransport} both ways, and a
 * receive time taken from the kernel's SO_TIMESTAMPNS stamp (socket(7)), which lies between the
 * send and the moment the datagram is handled.
 */
class LinuxUdpTransportTest {

  @BeforeEach
  void linuxOnly() {
    String why = "the native UDP transport cannot run here: " + LinuxUdpTransport.unavailabilityCause();
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(LinuxUdpTransport.isAvailable(), why);
    }
    Assumptions.assumeTrue(LinuxUdpTransport.isAvailable(), why);
  }

  /** The kernel drops a datagram from an address that is not a peer before it is queued. */
  @Test
  void aSourceFilterLetsOnlyThePeersDatagramsIn() throws Exception {
    try (SystemScheduler s = new SystemScheduler("udp-filter-test");
        LinuxUdpTransport filtered = LinuxUdpTransport.unicast(new InetSocketAddress("127.0.0.1", 0), s);
        UdpTransport stranger = UdpTransport.unicast(new InetSocketAddress("127.0.0.1", 0), s);
        UdpTransport peer = UdpTransport.unicast(new InetSocketAddress("127.0.0.2", 0), s)) {
      assertTrue(filtered.receiveOnlyFrom(java.util.List.of(java.net.InetAddress.getByName("127.0.0.2"))));
      java.util.List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
      CompletableFuture<Void> fromPeer = new CompletableFuture<>();
      filtered.start(d -> {
        String text = StandardCharsets.US_ASCII.decode(d.payload()).toString();
        got.add(text);
        if (text.equals("peer")) {
          fromPeer.complete(null);
        }
      });
      for (int i = 0; i < 10; i++) {
        stranger.send(filtered.localAddress(), ByteBuffer.wrap("stranger".getBytes(StandardCharsets.US_ASCII)));
      }
      // Sent after the stranger's on the same loopback: when it is in, theirs were dealt with.
      peer.send(filtered.localAddress(), ByteBuffer.wrap("peer".getBytes(StandardCharsets.US_ASCII)));
      fromPeer.get(5, TimeUnit.SECONDS);
      assertEquals(java.util.List.of("peer"), got);
    }
  }

  @Test
  void exchangesDatagramsWithTheNioTransportAndStampsThemWithTheKernelsArrival() throws Exception {
    try (SystemScheduler s = new SystemScheduler("udp-native-test");
        LinuxUdpTransport nativeSide = LinuxUdpTransport.unicast(new InetSocketAddress("127.0.0.1", 0), s);
        UdpTransport nio = UdpTransport.unicast(new InetSocketAddress("127.0.0.1", 0), s)) {
      assertTrue(nativeSide.localAddress().getPort() > 0, "port 0 bound to a free port: " + nativeSide.localAddress());
      CompletableFuture<Datagram> toNative = new CompletableFuture<>();
      CompletableFuture<Long> handledAt = new CompletableFuture<>();
      nativeSide.start(d -> {
        handledAt.complete(s.clock().nanoTime());
        toNative.complete(d);
      });
      CompletableFuture<Datagram> toNio = new CompletableFuture<>();
      nio.start(toNio::complete);

      byte[] hello = "advertisement".getBytes(StandardCharsets.US_ASCII);
      long before = s.clock().nanoTime();
      nio.send(nativeSide.localAddress(), ByteBuffer.wrap(hello));
      Datagram got = toNative.get(5, TimeUnit.SECONDS);
      assertArrayEquals(hello, bytes(got.payload()));
      assertEquals(nio.localAddress(), got.source());
      assertEquals(-1, got.ttl());
      assertTrue(got.receivedAtNanos() - before >= 0, "arrived " + (before - got.receivedAtNanos()) + " ns before it was sent");
      assertTrue(handledAt.get() - got.receivedAtNanos() >= 0, "arrived after it was handled");
      assertEquals(0, nativeSide.withoutKernelStamp(), "the kernel stamped it");

      byte[] reply = "reply".getBytes(StandardCharsets.US_ASCII);
      nativeSide.send(nio.localAddress(), ByteBuffer.wrap(reply));
      Datagram back = toNio.get(5, TimeUnit.SECONDS);
      assertArrayEquals(reply, bytes(back.payload()));
      assertEquals(nativeSide.localAddress(), back.source());
      assertEquals(0, nativeSide.sendFailures());
      assertEquals(0, nativeSide.receiveErrors());
    }
  }

  @Test
  void socketAddressesRoundTripThroughTheKernelsLayout() throws Exception {
    for (InetSocketAddress a : new InetSocketAddress[] {
        new InetSocketAddress("198.51.100.7", 5405), new InetSocketAddress("2001:db8::7", 65535)}) {
      byte[] raw = SocketAddresses.sockaddr(a);
      byte[] padded = java.util.Arrays.copyOf(raw, 28);
      assertEquals(a, SocketAddresses.socketAddress(ByteBuffer.wrap(padded)));
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
