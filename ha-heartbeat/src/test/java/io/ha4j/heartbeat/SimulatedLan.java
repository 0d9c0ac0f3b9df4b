package io.ha4j.heartbeat;

import io.ha4j.api.Role;
import io.ha4j.api.election.RoleChange;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A LAN of heartbeat members on one virtual clock: every member has its own scheduler and a
 * transport that delivers to the multicast group (all members, the sender included, as with
 * IP_MULTICAST_LOOP) after {@link #LATENCY}. Members can be isolated (split brain) and paused as
 * a whole process (GC pause: scheduler and receive thread stand still, datagrams wait in the
 * socket buffer).
 */
final class SimulatedLan {

  static final Duration LATENCY = Duration.ofMillis(1);

  final VirtualClock clock = new VirtualClock(5_000_000_000L);
  private final VirtualScheduler wire = clock.newScheduler("wire");
  private final Map<String, Member> members = new LinkedHashMap<>();
  /** The members' death witnesses' connections, or null: members without a witness. */
  final @Nullable FakeWitnessNetwork witnesses;

  SimulatedLan() {
    this(false);
  }

  /** A LAN whose members keep death witnesses over {@link #witnesses} when {@code witness} is set. */
  SimulatedLan(boolean witness) {
    witnesses = witness ? new FakeWitnessNetwork(wire, LATENCY) : null;
  }

  final class Member implements DatagramTransport {
    final String name;
    final int index;
    final VirtualScheduler scheduler;
    final InetSocketAddress address;
    final VrrpElection election;
    final FakeWitnessNetwork.@Nullable Process witness;
    final RecordingListener recorded = new RecordingListener();
    final List<RoleChange> changes = recorded.changes;
    final List<String> reannounces = recorded.reannounces;
    private @Nullable Consumer<Datagram> receiver;
    boolean isolated;
    boolean dead;
    private long pausedUntil;
    private final List<Datagram> socketBuffer = new ArrayList<>();
    /** Every datagram this member sent, in order: what an attacker on the LAN could capture. */
    final List<byte[]> captured = new ArrayList<>();

    Member(String name, int index, UnaryOperator<HeartbeatConfig.Builder> settings) {
      this.name = name;
      this.index = index;
      this.scheduler = clock.newScheduler(name);
      this.address = new InetSocketAddress("198.51.100." + index, 5151);
      HeartbeatConfig.Builder b = HeartbeatConfig.builder().clusterId(ElectionFixture.CLUSTER)
          .groupId(ElectionFixture.GROUP).nodeId(name).advertisementInterval(ElectionFixture.INTERVAL)
          .key(ElectionFixture.KEY).destination(ElectionFixture.GROUP_ADDRESS);
      HeartbeatConfig config = settings.apply(b).build();
      FakeWitnessNetwork w = witnesses;
      this.witness = w == null ? null : w.attach(address.getAddress());
      this.election = new VrrpElection(config, WireFormat.authenticated(config), this, witness, scheduler,
          org.slf4j.LoggerFactory.getLogger(VrrpElection.class));
      election.addListener(recorded);
    }

    Role role() {
      return election.role();
    }

    /** The master this member's death witness watches, or null. */
    io.ha4j.api.@Nullable NodeId electionWatched() {
      return election.witnessWatched();
    }

    @Override
    public void start(Consumer<Datagram> r) {
      receiver = r;
    }

    @Override
    public void send(InetSocketAddress destination, ByteBuffer payload) {
      if (isolated || dead) {
        return;
      }
      byte[] bytes = new byte[payload.remaining()];
      payload.get(bytes);
      captured.add(bytes);
      for (Member to : members.values()) {
        if (destination.equals(ElectionFixture.GROUP_ADDRESS) || destination.equals(to.address)) {
          wire.schedule(LATENCY, () -> to.arrive(address, bytes));
        }
      }
    }

    private void arrive(InetSocketAddress from, byte[] bytes) {
      Consumer<Datagram> r = receiver;
      if (r == null || dead || isolated || members.get(nameOf(from)).isolated) {
        return;
      }
      if (clock.nanoTime() < pausedUntil) {
        socketBuffer.add(new Datagram(from, ByteBuffer.wrap(bytes), 255, 0));
        return;
      }
      Datagram d = new Datagram(from, ByteBuffer.wrap(bytes), 255, clock.nanoTime());
      scheduler.execute(() -> r.accept(d));
    }

    /**
     * The whole process stands still for {@code d}: timers run late afterwards, and what arrived
     * meanwhile is read from the socket buffer (and stamped) only when it resumes.
     */
    void pauseProcess(Duration d) {
      pausedUntil = clock.nanoTime() + d.toNanos();
      scheduler.freeze(d);
      wire.schedule(d, () -> {
        Consumer<Datagram> r = receiver;
        for (Datagram held : socketBuffer) {
          Datagram d2 = new Datagram(held.source(), held.payload(), held.ttl(), clock.nanoTime());
          if (r != null) {
            scheduler.execute(() -> r.accept(d2));
          }
        }
        socketBuffer.clear();
      });
    }

    /** Hands {@code bytes} to this member now, as if a host outside the group sent them. */
    void inject(byte[] bytes) {
      Consumer<Datagram> r = receiver;
      if (r != null && !dead) {
        Datagram d = new Datagram(new InetSocketAddress("203.0.113.66", 5151), ByteBuffer.wrap(bytes.clone()), 255,
            clock.nanoTime());
        scheduler.execute(() -> r.accept(d));
      }
    }

    /**
     * kill -9: no priority-0 advertisement, nothing sent or received any more; the host's kernel
     * closes the process's witness connections and refuses new ones.
     */
    void kill() {
      dead = true;
      if (witnesses != null) {
        witnesses.crashProcess(address.getAddress());
      }
    }

    /** The host dies (power, kernel panic, link): as {@link #kill}, but its kernel says nothing either. */
    void crashHost() {
      dead = true;
      if (witnesses != null) {
        witnesses.crashHost(address.getAddress());
      }
    }

    @Override
    public void close() {
      dead = true;
    }
  }

  private String nameOf(InetSocketAddress a) {
    for (Member m : members.values()) {
      if (m.address.equals(a)) {
        return m.name;
      }
    }
    throw new IllegalArgumentException("no member at " + a);
  }

  Member add(String name, int priority) {
    return add(name, b -> b.priority(priority));
  }

  Member add(String name, UnaryOperator<HeartbeatConfig.Builder> settings) {
    Member m = new Member(name, members.size() + 1, settings);
    members.put(name, m);
    return m;
  }

  /**
   * The process of {@code name} dies (kill -9) and a new one starts on the same host (same
   * address) with {@code settings}: a new election that remembers nothing.
   */
  Member restart(String name, UnaryOperator<HeartbeatConfig.Builder> settings) {
    Member old = members.get(name);
    old.kill();
    Member m = new Member(name, old.index, settings);
    members.put(name, m);
    m.election.start();
    return m;
  }

  Member get(String name) {
    return members.get(name);
  }

  void startAll() {
    members.values().forEach(m -> m.election.start());
  }

  List<String> masters() {
    return members.values().stream().filter(m -> !m.dead && m.role() == Role.MASTER).map(m -> m.name).toList();
  }

  void advance(Duration d) {
    clock.advanceBy(d);
  }

  /** Advances in 1 ms steps until {@code done} or {@code limit}; returns the time taken. */
  Duration advanceUntil(java.util.function.BooleanSupplier done, Duration limit) {
    long start = clock.nanoTime();
    while (!done.getAsBoolean()) {
      if (clock.since(start).compareTo(limit) >= 0) {
        throw new AssertionError("not done within " + limit + "; masters: " + masters());
      }
      clock.advanceBy(Duration.ofMillis(1));
    }
    return clock.since(start);
  }
}
