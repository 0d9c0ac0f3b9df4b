package io.ha4j.heartbeat;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.election.RoleChange;
import io.ha4j.api.transport.Datagram;
import io.ha4j.heartbeat.Advertisement;
import io.ha4j.heartbeat.AdvertisementCodec;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.HeartbeatKey;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One election under test on a virtual scheduler, with scripted peers: the test makes peers
 * "send" advertisements and reads what the election sent.
 */
/** One election on virtual time with a capturing transport; its constants are shared by the integration tests. */
public final class ElectionFixture {

  public static final int CLUSTER = 0x48410001;
  public static final int GROUP = 51;
  public static final HeartbeatKey KEY = new HeartbeatKey(1, "test-secret-0123456789".getBytes(StandardCharsets.US_ASCII));
  public static final Duration INTERVAL = Duration.ofSeconds(1);
  public static final InetSocketAddress GROUP_ADDRESS = new InetSocketAddress("239.255.42.51", 5151);
  public static final byte[] NO_VIPS = AdvertisementCodec.vipDigest(List.of());

  final VirtualClock clock = new VirtualClock(1_000_000_000L);
  final VirtualScheduler scheduler = clock.newScheduler("n1");
  final CapturingTransport transport = new CapturingTransport();
  final VrrpElection election;
  final RecordingListener recorded = new RecordingListener();
  final List<RoleChange> changes = recorded.changes;
  final List<String> reannounces = recorded.reannounces;
  final AdvertisementCodec codec = new AdvertisementCodec(CLUSTER, GROUP, List.of(KEY));
  private final Map<String, Long> peerSequence = new HashMap<>();

  ElectionFixture(int priority) {
    this(b -> b.priority(priority));
  }

  ElectionFixture(UnaryOperator<HeartbeatConfig.Builder> settings) {
    HeartbeatConfig.Builder b = HeartbeatConfig.builder()
        .clusterId(CLUSTER).groupId(GROUP).nodeId("n1").priority(100)
        .advertisementInterval(INTERVAL).key(KEY).destination(GROUP_ADDRESS)
        .incarnations(() -> 7);
    election = new VrrpElection(settings.apply(b).build(), transport, scheduler);
    election.addListener(recorded);
  }

  /** Starts the election and runs what is due. */
  ElectionFixture started() {
    election.start();
    clock.runDue();
    return this;
  }

  Duration masterDownInterval() {
    return VrrpElection.masterDownInterval(election.effectivePriority(), INTERVAL);
  }

  Duration skew() {
    return VrrpElection.skewTime(election.effectivePriority(), INTERVAL);
  }

  /** Peer {@code node} sends an advertisement (state MASTER unless priority 0); delivered now. */
  void receive(String node, int priority) {
    receive(node, priority, INTERVAL);
  }

  void receive(String node, int priority, Duration interval) {
    deliver(encode(node, priority, interval));
  }

  ByteBuffer encode(String node, int priority, Duration interval) {
    long seq = peerSequence.merge(node, 1L, Long::sum);
    return codec.encode(new Advertisement(CLUSTER, GROUP, NodeId.of(node), priority,
        priority == 0 ? Role.INIT : Role.MASTER, interval, 1, seq, NO_VIPS));
  }

  /** Hands the bytes to the election through the scheduler, as a transport does, and runs it. */
  void deliver(ByteBuffer packet) {
    deliver(packet, 255);
  }

  void deliver(ByteBuffer packet, int ttl) {
    ByteBuffer copy = packet.duplicate();
    scheduler.execute(() -> transport.receiver().accept(
        new Datagram(new InetSocketAddress("198.51.100.9", 5151), copy, ttl, clock.nanoTime())));
    clock.runDue();
  }

  /** Hands over bytes that arrived at {@code arrivedAtNanos} but reach the election only now. */
  void deliverLate(ByteBuffer packet, long arrivedAtNanos) {
    ByteBuffer copy = packet.duplicate();
    scheduler.execute(() -> transport.receiver().accept(
        new Datagram(new InetSocketAddress("198.51.100.9", 5151), copy, 255, arrivedAtNanos)));
    clock.runDue();
  }

  /** The advertisements the election sent, decoded, oldest first. */
  List<Advertisement> sent() {
    List<Advertisement> out = new ArrayList<>();
    for (CapturingTransport.Sent s : transport.sent) {
      out.add(((AdvertisementCodec.Valid) codec.decode(s.payload())).advertisement());
    }
    return out;
  }

  Advertisement lastSent() {
    List<Advertisement> s = sent();
    return s.get(s.size() - 1);
  }

  void advance(Duration d) {
    clock.advanceBy(d);
  }

  Role role() {
    return election.role();
  }

  RoleChange lastChange() {
    return changes.get(changes.size() - 1);
  }

  /**
   * Runs what is due until the election is in {@code expected}: for work that reaches the
   * scheduler from another thread (the before-master hook's own). Fails after 10 s of real time.
   */
  void awaitRole(Role expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      clock.runDue();
      if (role() == expected) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("still " + role() + ", expected " + expected);
      }
      Thread.sleep(1);
    }
  }
}
