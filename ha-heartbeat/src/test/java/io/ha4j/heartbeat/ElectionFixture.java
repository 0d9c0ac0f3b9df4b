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
  /** Reads what the election signs, whatever its keys. */
  private final AdvertisementCodec electionCodec;
  private final Map<String, Long> peerSequence = new HashMap<>();
  /** The last plain advertisement delivered from each scripted peer: what it answers a challenge with. */
  private final Map<NodeId, Advertisement> lastDelivered = new HashMap<>();
  private int challengesSeen;
  /** Whether scripted peers answer the election's freshness challenges (as live members do). */
  boolean peersAnswer = true;

  ElectionFixture(int priority) {
    this(b -> b.priority(priority));
  }

  ElectionFixture(UnaryOperator<HeartbeatConfig.Builder> settings) {
    HeartbeatConfig.Builder b = HeartbeatConfig.builder()
        .clusterId(CLUSTER).groupId(GROUP).nodeId("n1").priority(100)
        .advertisementInterval(INTERVAL).key(KEY).destination(GROUP_ADDRESS)
        .incarnations(() -> 7);
    HeartbeatConfig config = settings.apply(b).build();
    electionCodec = new AdvertisementCodec(CLUSTER, GROUP, config.keys());
    election = new VrrpElection(config, transport, scheduler);
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
    deliverAt(packet, ttl, -1);
  }

  /** Hands over bytes that arrived at {@code arrivedAtNanos} but reach the election only now. */
  void deliverLate(ByteBuffer packet, long arrivedAtNanos) {
    deliverAt(packet, 255, arrivedAtNanos);
  }

  private void deliverAt(ByteBuffer packet, int ttl, long arrivedAtNanos) {
    ByteBuffer copy = packet.duplicate();
    if (codec.decode(copy) instanceof AdvertisementCodec.Valid v && v.proof() == null) {
      lastDelivered.put(v.advertisement().nodeId(), v.advertisement());
    }
    scheduler.execute(() -> transport.receiver().accept(new Datagram(new InetSocketAddress("198.51.100.9", 5151),
        copy, ttl, arrivedAtNanos < 0 ? clock.nanoTime() : arrivedAtNanos)));
    clock.runDue();
    answerChallenges();
  }

  /**
   * The scripted peers answer the election's freshness challenges at once, each with the
   * advertisement it sent last (same incarnation and sequence), as a live member would.
   */
  private void answerChallenges() {
    List<AdvertisementCodec.Valid> challenges = challengesSent();
    if (challengesSeen > challenges.size()) {
      challengesSeen = 0; // the test cleared what was sent
    }
    while (peersAnswer && challengesSeen < challenges.size()) {
      AdvertisementCodec.Valid c = challenges.get(challengesSeen++);
      AdvertisementCodec.Proof proof = java.util.Objects.requireNonNull(c.proof());
      Advertisement last = lastDelivered.get(proof.peer());
      if (last != null) {
        ByteBuffer response = codec.encode(last, new AdvertisementCodec.Proof(true, c.advertisement().nodeId(),
            proof.nonce()));
        scheduler.execute(() -> transport.receiver().accept(
            new Datagram(new InetSocketAddress("198.51.100.9", 5151), response, 255, clock.nanoTime())));
        clock.runDue();
        challenges = challengesSent();
      }
    }
  }

  /** The freshness challenges the election sent, oldest first. */
  List<AdvertisementCodec.Valid> challengesSent() {
    List<AdvertisementCodec.Valid> out = new ArrayList<>();
    for (CapturingTransport.Sent s : transport.sent) {
      if (electionCodec.decode(s.payload()) instanceof AdvertisementCodec.Valid v && v.proof() != null
          && !v.proof().response()) {
        out.add(v);
      }
    }
    return out;
  }

  /** The advertisements the election sent (its answers to challenges included, not its challenges), oldest first. */
  List<Advertisement> sent() {
    List<Advertisement> out = new ArrayList<>();
    for (CapturingTransport.Sent s : transport.sent) {
      AdvertisementCodec.Valid v = (AdvertisementCodec.Valid) codec.decode(s.payload());
      if (v.proof() == null || v.proof().response()) {
        out.add(v.advertisement());
      }
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
