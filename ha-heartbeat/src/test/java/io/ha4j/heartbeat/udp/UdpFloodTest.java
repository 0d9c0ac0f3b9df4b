package io.ha4j.heartbeat.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.core.time.VirtualClock;
import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.HeartbeatStats;
import io.ha4j.heartbeat.VrrpElection;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 5 over a real socket on loopback: a flood at the heartbeat port is screened on the
 * transport's receive thread; nothing of it is queued for the election's scheduler, which here
 * never runs (it used to get one task per datagram, without bound).
 */
class UdpFloodTest {

  private static final int DATAGRAMS = 20_000;

  @Test
  void randomDatagramsFromAStrangerNeverReachTheSchedulersQueue() throws Exception {
    VirtualClock clock = new VirtualClock(1_000_000_000L);
    try (UdpTransport transport = UdpTransport.unicast(new InetSocketAddress("127.0.0.1", 0),
            clock.newScheduler("n1"));
        DatagramChannel flood = DatagramChannel.open()) {
      HeartbeatConfig config = HeartbeatConfig.builder().clusterId(77).groupId(9).nodeId("n1").priority(100)
          .advertisementInterval(Duration.ofSeconds(1))
          .key(3, "flood-test-key-0123456789".getBytes(StandardCharsets.US_ASCII))
          .destination(new InetSocketAddress("127.0.0.2", transport.localAddress().getPort())).build();
      VrrpElection election = new VrrpElection(config, transport, clock.newScheduler("n1-election"));
      election.start();
      clock.runDue();
      int queuedBefore = clock.pendingTasks();
      flood.bind(new InetSocketAddress("127.0.0.1", 0));
      Random random = new Random(16);
      byte[] bytes = new byte[120];
      for (int i = 0; i < DATAGRAMS; i++) {
        random.nextBytes(bytes);
        flood.send(ByteBuffer.wrap(bytes, 0, 1 + random.nextInt(bytes.length)), transport.localAddress());
      }
      long seen = settled(() -> clock.pendingTasks() + election.stats().received());
      HeartbeatStats s = election.stats();
      assertTrue(seen > DATAGRAMS / 10, "the flood arrived: " + seen);
      assertEquals(queuedBefore, clock.pendingTasks(), "tasks queued for the election by the flood");
      assertEquals(s.received(), s.dropped(DropReason.UNKNOWN_SOURCE));
      election.stop();
    }
  }

  /** The value once it has not changed for 300 ms (5 s at most): the receive thread has caught up. */
  private static long settled(java.util.function.LongSupplier value) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    long last = -1;
    long stableSince = System.nanoTime();
    while (System.nanoTime() - deadline < 0) {
      long v = value.getAsLong();
      if (v != last) {
        last = v;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > 300_000_000L) {
        break;
      }
      Thread.sleep(20);
    }
    return last;
  }
}
