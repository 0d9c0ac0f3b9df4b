package io.ha4j.core.health;

import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.core.time.SystemScheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UDP request/reply checks against datagram servers on loopback. */
class UdpCheckTest {

  private final SystemScheduler scheduler = new SystemScheduler("udp-test");
  private final HealthEngine engine = new HealthEngine(scheduler, new Random(5));
  private DatagramChannel server;
  private Thread serverThread;

  @AfterEach
  void close() throws Exception {
    engine.close();
    scheduler.close();
    if (server != null) {
      server.close();
      serverThread.join(5000);
    }
  }

  /** A server that answers each datagram with {@code prefix} + the datagram, or not at all. */
  private InetSocketAddress server(String prefix, boolean answer) throws IOException {
    server = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    DatagramChannel ch = server;
    serverThread = new Thread(() -> {
      ByteBuffer buf = ByteBuffer.allocate(2048);
      try {
        while (true) {
          buf.clear();
          var from = ch.receive(buf);
          buf.flip();
          if (answer) {
            ByteBuffer reply = ByteBuffer.allocate(prefix.length() + buf.remaining());
            reply.put(prefix.getBytes(StandardCharsets.US_ASCII)).put(buf).flip();
            ch.send(reply, from);
          }
        }
      } catch (IOException closed) {
        // the test is over
      }
    }, "udp-test-server");
    serverThread.setDaemon(true);
    serverThread.start();
    return (InetSocketAddress) server.getLocalAddress();
  }

  private CheckResult settle(UdpCheck check, Duration timeout) {
    engine.register("rs", check, CheckSettings.of(Duration.ofMillis(50), timeout).withWarmupJitter(false));
    Await.until("decided", () -> engine.state("rs") != HealthState.UNKNOWN);
    return engine.lastResult("rs").orElseThrow();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void echoIsUp() throws Exception {
    var r = settle(new UdpCheck(server("", true), bytes("ping"), bytes("ping")), Duration.ofSeconds(10));
    assertTrue(r.up(), r.detail());
  }

  @Test
  void anyReplyIsUpWithoutAnExpectation() throws Exception {
    var r = settle(UdpCheck.anyReply(server("pong:", true), bytes("ping")), Duration.ofSeconds(10));
    assertTrue(r.up(), r.detail());
  }

  @Test
  void unexpectedReplyIsDown() throws Exception {
    var r = settle(new UdpCheck(server("err:", true), bytes("ping"), bytes("ping")), Duration.ofSeconds(10));
    assertEquals(false, r.up());
    // "err:ping" in hex
    assertTrue(r.detail().contains("unexpected reply 6572723a70696e67"), r.detail());
  }

  @Test
  void silentServerTimesOut() throws Exception {
    var r = settle(new UdpCheck(server("", false), bytes("ping"), null), Duration.ofMillis(300));
    assertEquals("timed out after PT0.3S", r.detail());
  }

  @Test
  void closedPortIsDownFromIcmpPortUnreachable() throws Exception {
    InetSocketAddress closed;
    try (var ch = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      closed = (InetSocketAddress) ch.getLocalAddress();
    }
    var r = settle(new UdpCheck(closed, bytes("ping"), null), Duration.ofSeconds(10));
    assertEquals(false, r.up());
    assertTrue(r.detail().contains("port unreachable"), r.detail());
  }
}
