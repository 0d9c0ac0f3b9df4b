package io.ha4j.heartbeat;

import static io.ha4j.heartbeat.ElectionFixture.CLUSTER;
import static io.ha4j.heartbeat.ElectionFixture.GROUP;
import static io.ha4j.heartbeat.ElectionFixture.INTERVAL;
import static io.ha4j.heartbeat.ElectionFixture.KEY;
import static io.ha4j.heartbeat.ElectionFixture.NO_VIPS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.transport.Datagram;
import io.ha4j.core.time.VirtualClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 5: datagrams are screened where the transport hands them over (its receive
 * thread), before anything is queued for the election: unicast source, cluster, group, key id and
 * HMAC, each drop counted per reason; what passes waits in a bounded queue that counts what it
 * drops.
 */
class IntakeTest {

  static final InetSocketAddress PEER = new InetSocketAddress("198.51.100.2", 5151);
  static final InetSocketAddress STRANGER = new InetSocketAddress("203.0.113.9", 5151);

  final VirtualClock clock = new VirtualClock(1_000_000_000L);
  final CapturingTransport transport = new CapturingTransport();
  final AdvertisementCodec codec = new AdvertisementCodec(CLUSTER, GROUP, List.of(KEY));
  final VrrpElection election = new VrrpElection(HeartbeatConfig.builder().clusterId(CLUSTER).groupId(GROUP)
      .nodeId("n1").priority(100).advertisementInterval(INTERVAL).key(KEY).destination(PEER).build(),
      transport, clock.newScheduler("n1"));
  final Consumer<Datagram> receiveThread;
  long seq;

  IntakeTest() {
    election.start();
    clock.runDue();
    receiveThread = transport.receiver();
  }

  @Test
  void everyFilterDropsOnTheReceiveThreadBeforeAnythingIsQueued() {
    int queuedBefore = clock.pendingTasks();
    hand(STRANGER, peerAdvert(codec)); // a valid advert, from an address that is no peer
    hand(PEER, new AdvertisementCodec(CLUSTER + 1, GROUP, List.of(KEY)).encode(ad(CLUSTER + 1, GROUP)));
    hand(PEER, new AdvertisementCodec(CLUSTER, GROUP + 1, List.of(KEY)).encode(ad(CLUSTER, GROUP + 1)));
    hand(PEER, new AdvertisementCodec(CLUSTER, GROUP, List.of(new HeartbeatKey(9, secret("other key id"))))
        .encode(ad()));
    hand(PEER, new AdvertisementCodec(CLUSTER, GROUP, List.of(new HeartbeatKey(KEY.id(), secret("forged"))))
        .encode(ad()));
    hand(PEER, ByteBuffer.wrap(new byte[] {1, 2, 3}));
    // Counted at once, on this thread; nothing waits for the election's scheduler.
    HeartbeatStats s = election.stats();
    assertEquals(1, s.dropped(DropReason.UNKNOWN_SOURCE));
    assertEquals(1, s.dropped(DropReason.OTHER_CLUSTER));
    assertEquals(1, s.dropped(DropReason.OTHER_GROUP));
    assertEquals(1, s.dropped(DropReason.UNKNOWN_KEY));
    assertEquals(1, s.dropped(DropReason.BAD_DIGEST), "the HMAC was checked on the receive thread");
    assertEquals(1, s.dropped(DropReason.MALFORMED));
    assertEquals(6, s.received());
    assertEquals(queuedBefore, clock.pendingTasks(), "nothing was queued for the election");
    hand(PEER, peerAdvert(codec));
    clock.runDue();
    assertEquals(1, reachedTheElection(election.stats()));
  }

  @Test
  void theQueueIsBoundedAndCountsWhatItDrops() {
    int flood = Intake.CAPACITY * 4;
    for (int i = 0; i < flood; i++) {
      hand(PEER, peerAdvert(codec)); // valid, authenticated: only the queue stops them
    }
    assertEquals(flood - Intake.CAPACITY, election.stats().dropped(DropReason.QUEUE_FULL));
    clock.runDue();
    HeartbeatStats s = election.stats();
    assertEquals(Intake.CAPACITY, reachedTheElection(s));
    assertEquals(flood, s.received());
    assertEquals(Role.BACKUP, election.role());
    // And it takes more once drained.
    hand(PEER, peerAdvert(codec));
    clock.runDue();
    assertEquals(Intake.CAPACITY + 1, reachedTheElection(election.stats()));
  }

  /** Advertisements the election's own checks took: accepted, or held back until n2 proves it is fresh. */
  private static long reachedTheElection(HeartbeatStats s) {
    return s.accepted() + s.dropped(DropReason.UNPROVEN);
  }

  private void hand(InetSocketAddress from, ByteBuffer packet) {
    receiveThread.accept(new Datagram(from, packet, -1, clock.nanoTime()));
  }

  private ByteBuffer peerAdvert(AdvertisementCodec with) {
    return with.encode(ad());
  }

  private Advertisement ad() {
    return ad(CLUSTER, GROUP);
  }

  private Advertisement ad(int cluster, int group) {
    return new Advertisement(cluster, group, NodeId.of("n2"), 200, Role.MASTER, INTERVAL, 1, ++seq, NO_VIPS);
  }

  private static byte[] secret(String s) {
    return (s + "-0123456789abcdef").getBytes(StandardCharsets.US_ASCII);
  }
}
