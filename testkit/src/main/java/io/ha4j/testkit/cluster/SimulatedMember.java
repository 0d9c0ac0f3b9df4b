package io.ha4j.testkit.cluster;

import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.Role;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualService;
import io.ha4j.api.election.Tracked;
import io.ha4j.api.election.ElectionListener;
import io.ha4j.api.election.RoleChange;
import io.ha4j.core.member.Member;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.api.transport.WitnessTransport;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.linux.Errno;
import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import io.ha4j.testkit.net.SimulatedNetwork;
import io.ha4j.testkit.vip.FakeAddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.core.time.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * One member of a simulated cluster across its incarnations: the real {@link VrrpElection},
 * the real {@link HealthEngine} probing the {@link RealServerPool} over the network, and the real
 * {@link Member}, owning addresses through {@link VipOwner} over a {@link
 * FakeAddressKernel} and programming IPVS through {@link IpvsClient} over a {@link
 * FakeIpvsKernel}, on a {@link NodeScheduler} of the cluster's timeline, attached to the {@link
 * SimulatedNetwork}.
 */
final class SimulatedMember {

  static final int PORT = 5405;
  /** The port of a member's health-check socket. */
  static final int PROBE_PORT = 5406;
  static final Tracked CHECK = Tracked.check("check");
  static final Tracked INTERFACE_TRACK = Tracked.networkInterface(ClusterConfig.INTERFACE);
  private static final byte[] KEY = "ha4j simulated cluster key".getBytes(StandardCharsets.US_ASCII);
  private static final ServiceKey SERVICE = ServiceKey.of(Protocol.TCP, ClusterConfig.VIP.address(), 80);

  private final String name;
  private final ClusterConfig cluster;
  private final VirtualClock timeline;
  private final SimulatedNetwork network;
  private final History history;
  private final long seed;
  private int incarnation;
  /** The node id when it is not the member's name: a duplicate id ({@link Fault.DuplicateId}). */
  private @Nullable String nodeId;
  /** The next incarnation starts with the wall clock stepped back. */
  private boolean clockBehind;
  private double rate = 1.0;
  private boolean interfaceUp = true;
  private boolean checkUp = true;
  private boolean addsFail;
  private long stalledUntil = Long.MIN_VALUE;
  private @Nullable NodeScheduler stalled;

  // The host's kernels: they outlive a process restart, not a crash (the host comes back empty).
  private @Nullable FakeAddressKernel addressKernel;
  private @Nullable FakeIpvsKernel ipvsKernel;
  private @Nullable NodeScheduler scheduler;
  private @Nullable DatagramTransport transport;
  private @Nullable WitnessTransport witness;
  private @Nullable VrrpElection election;
  private @Nullable Member member;
  private @Nullable RecordingAddressOwner addresses;
  private @Nullable HealthEngine health;
  private @Nullable ProbeSocket probes;
  // A graceful stop runs on the member's own thread: while a stalled member has not run it yet,
  // the old incarnation is still attached, and a restart waits for it.
  private @Nullable NodeScheduler stopping;
  private @Nullable DatagramTransport stoppingTransport;
  private @Nullable RecordingAddressOwner stoppingAddresses;
  private @Nullable HealthEngine stoppingHealth;
  private @Nullable ProbeSocket stoppingProbes;
  private boolean startWhenStopped;

  SimulatedMember(
      String name, ClusterConfig cluster, VirtualClock timeline, SimulatedNetwork network, History history, long seed) {
    this.name = name;
    this.cluster = cluster;
    this.timeline = timeline;
    this.network = network;
    this.history = history;
    this.seed = seed;
  }

  String name() {
    return name;
  }

  boolean running() {
    return scheduler != null;
  }

  Role role() {
    VrrpElection e = election;
    return e == null ? Role.INIT : e.role();
  }

  List<io.ha4j.api.VirtualAddress> addresses() {
    RecordingAddressOwner a = addresses;
    return a == null ? List.of() : a.list();
  }

  @Nullable VrrpElection election() {
    return election;
  }

  /** The table in the host's IPVS kernel, read through a client of its own (empty after a crash). */
  List<io.ha4j.api.table.TableEntry> table() {
    FakeIpvsKernel k = ipvsKernel;
    // Not closed: the kernel is the host's, shared with the member's own client.
    return k == null ? List.of() : new IpvsClient(k, timeline, Duration.ofSeconds(1)).read();
  }

  private FakeAddressKernel hostAddresses() {
    FakeAddressKernel k = addressKernel;
    if (k == null) {
      k = new FakeAddressKernel();
      int n = cluster.index(name) + 1;
      k.addInterface(ClusterConfig.INTERFACE, MacAddress.of(new byte[] {0x02, 0, 0, 0, 0, (byte) n}));
      if (!interfaceUp) {
        k.setLink(ClusterConfig.INTERFACE, false);
      }
      k.failAdds(addsFail ? Errno.ENOMEM.number() : 0);
      addressKernel = k;
    }
    return k;
  }

  private FakeIpvsKernel hostIpvs() {
    FakeIpvsKernel k = ipvsKernel;
    if (k == null) {
      k = new FakeIpvsKernel();
      ipvsKernel = k;
    }
    return k;
  }

  /** Boots a new incarnation. */
  void start() {
    if (scheduler != null) {
      return;
    }
    if (stopping != null) {
      startWhenStopped = true;
      return;
    }
    incarnation++;
    // Distinct between members too, as wall-clock incarnations are: twins with one node id
    // (Fault.DuplicateId) tell each other apart by them.
    long base = ((long) incarnation << 4) | cluster.index(name);
    long inc = clockBehind ? -base : base;
    clockBehind = false;
    NodeScheduler s = new NodeScheduler(timeline, name + "#" + inc, rate);
    InetAddress self = cluster.address(name);
    DatagramTransport t = network.attach(new InetSocketAddress(self, PORT), s.socket());
    List<InetSocketAddress> peers = new ArrayList<>();
    for (String other : cluster.nodes()) {
      if (!other.equals(name)) {
        peers.add(new InetSocketAddress(cluster.address(other), PORT));
      }
    }
    HeartbeatConfig config = HeartbeatConfig.builder()
        .clusterId(0x48413441)
        .groupId(1)
        .nodeId(nodeId != null ? nodeId : name)
        .priority(cluster.priority(name))
        .advertisementInterval(cluster.advertisementInterval())
        .preempt(cluster.preempt())
        .key(1, KEY)
        .destinations(peers)
        .track(INTERFACE_TRACK, 0)
        .track(CHECK, -ClusterConfig.PRIORITY_DROP)
        .virtualAddress(ClusterConfig.VIP)
        .stallThreshold(cluster.stallThreshold())
        .incarnations(() -> inc)
        .build();
    WitnessTransport w = network.attachWitness(new InetSocketAddress(self, config.witnessPort()));
    VrrpElection e = new VrrpElection(config, t, w, s);
    e.addListener(new ElectionListener() {
      @Override
      public void onRoleChange(RoleChange change) {
        history.record(new History.RoleChanged(timeline.nanoTime(), name, change.from(), change.to(), change.reason()));
      }
    });
    if (!checkUp) {
      e.setTracked(CHECK, false);
    }
    if (!interfaceUp) {
      e.setTracked(INTERFACE_TRACK, false);
    }
    FakeAddressKernel k = hostAddresses();
    RecordingAddressOwner a = new RecordingAddressOwner(name,
        VipOwner.builder(k, s).manage(ClusterConfig.VIP).build(), history, timeline);
    RealServerPool pool = cluster.realServers();
    // The real engine on the member's own scheduler, with a check whose attempts complete from
    // datagrams: it never needs an I/O thread, and its warm-up jitter comes from the run's seed.
    // (Random's first draws from nearby seeds are close: mix the seed first.)
    long mixed = new SplittableRandom(seed).split().nextLong() ^ (0x9E3779B97F4A7C15L * (64L * inc + cluster.index(name)));
    HealthEngine h = new HealthEngine(s, new Random(new SplittableRandom(mixed).nextLong()));
    ProbeSocket p = new ProbeSocket(network.attach(new InetSocketAddress(self, PROBE_PORT), s.socket()));
    List<RealServer> servers = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (String rs : pool.names()) {
      RealServer server = RealServer.of(pool.address(rs), RealServerPool.PORT);
      servers.add(server);
      String id = HealthEngine.targetId(SERVICE, server.endpoint());
      names.put(id, rs);
      h.register(id, p.to(new InetSocketAddress(server.address(), server.port())), pool.checks());
    }
    Member m = Member.builder(s, e, a)
        .virtualAddresses(List.of(ClusterConfig.VIP))
        .loadBalancer(new RecordingTable(name, new IpvsClient(hostIpvs(), s.clock(), Duration.ofSeconds(1)),
            history, timeline), h.lookup())
        .service(DesiredService.of(VirtualService.of(SERVICE, "wlc"), servers).withFailureMode(pool.onFailure()))
        .reconcileInterval(Duration.ofSeconds(5))
        .build();
    h.addListener(change -> {
      if (change.previous() != change.current()) {
        history.record(new History.HealthChanged(timeline.nanoTime(), name, names.getOrDefault(change.target(),
            change.target()), change.previous(), change.current(), change.detail()));
        m.reconcileNow();
      }
    });
    scheduler = s;
    transport = t;
    witness = w;
    election = e;
    addresses = a;
    member = m;
    health = h;
    probes = p;
    m.start();
  }

  /** The host dies at once: no priority-0 advertisement, its addresses vanish, it falls silent. */
  void crash() {
    die(true);
  }

  /**
   * The process dies at once (kill -9), the host stays up: no priority-0 advertisement; its kernel
   * closes its witness connections and refuses new ones; the host's kernels keep their state.
   */
  void kill() {
    die(false);
  }

  private void die(boolean host) {
    InetAddress self = cluster.address(name);
    if (host) {
      network.crashHost(self);
    } else {
      network.crashProcess(self);
    }
    startWhenStopped = false;
    NodeScheduler old = stopping;
    if (old != null) {
      old.kill();
      requireNonNull(stoppingTransport).close();
      requireNonNull(stoppingAddresses).crash();
      requireNonNull(stoppingHealth).close();
      requireNonNull(stoppingProbes).close();
      stopping = null;
      forgetHost(host);
    }
    NodeScheduler s = scheduler;
    if (s == null) {
      return;
    }
    s.kill();
    requireNonNull(transport).close();
    requireNonNull(addresses).crash();
    requireNonNull(health).close();
    requireNonNull(probes).close();
    clear();
    forgetHost(host);
  }

  /** A crashed host comes back with empty kernels; a killed process's host keeps them. */
  private void forgetHost(boolean host) {
    if (host) {
      addressKernel = null;
      ipvsKernel = null;
    }
  }

  /** Leaves gracefully (on the member's own thread, so a stalled member leaves when it resumes). */
  void stop() {
    stopThen(false);
  }

  /** Restarts with {@code twin}'s node id, and keeps it. */
  void restartAs(String twin) {
    nodeId = twin;
    restart();
  }

  /**
   * As {@link #restart()}, with the wall clock stepped back: the new incarnation is lower than
   * every one before (the default incarnation is wall-clock time).
   */
  void restartWithClockBehind() {
    clockBehind = true;
    restart();
  }

  /** Stops gracefully, then boots a new incarnation. */
  void restart() {
    if (scheduler == null) {
      start();
    } else {
      stopThen(true);
    }
  }

  private void stopThen(boolean startAgain) {
    NodeScheduler s = scheduler;
    if (s == null) {
      startWhenStopped = false;
      return;
    }
    Member m = requireNonNull(member);
    DatagramTransport t = requireNonNull(transport);
    WitnessTransport w = requireNonNull(witness);
    stopping = s;
    stoppingTransport = t;
    stoppingAddresses = requireNonNull(addresses);
    HealthEngine h = requireNonNull(health);
    ProbeSocket p = requireNonNull(probes);
    stoppingHealth = h;
    stoppingProbes = p;
    startWhenStopped = startAgain;
    m.stop();
    clear();
    // Three hops: the election tells its listeners of the stop (INIT) in tasks of its own, and the
    // member reacts in further ones; all of them must run before this incarnation ends.
    s.execute(() -> s.execute(() -> s.execute(() -> {
      // The stopped process's owner is not closed: Member.stop released the addresses, and the
      // fake kernel's route socket is shared with the next incarnation's owner on this host.
      t.close();
      w.close(); // the process exits after the election's stop() said its goodbyes
      h.close();
      p.close();
      s.kill();
      stopping = null;
      if (startWhenStopped) {
        startWhenStopped = false;
        start();
      }
    })));
  }

  void stall(Duration d) {
    NodeScheduler s = scheduler;
    if (s == null) {
      return;
    }
    long until = timeline.nanoTime() + d.toNanos();
    if (until > stalledUntil) {
      stalledUntil = until;
    }
    stalled = s;
    s.stall(d);
  }

  /**
   * Called when a stall may end; true if the stalled incarnation runs again now (a stop or restart
   * requested meanwhile takes effect then).
   */
  boolean resumeIfDue() {
    NodeScheduler s = stalled;
    if (s == null || timeline.nanoTime() < stalledUntil) {
      return false;
    }
    stalled = null;
    s.resume();
    return true;
  }

  void setCheck(boolean up) {
    checkUp = up;
    VrrpElection e = election;
    NodeScheduler s = scheduler;
    if (e != null && s != null) {
      s.execute(() -> e.setTracked(CHECK, up));
    }
  }

  void setInterface(boolean up) {
    interfaceUp = up;
    // The link state belongs to the host: the owner notices it from the kernel's notification.
    hostAddresses().setLink(ClusterConfig.INTERFACE, up);
  }

  /** The host's address kernel refuses adds (ENOMEM), or takes them again; a host that comes back after a crash too. */
  void setAddsFail(boolean fail) {
    addsFail = fail;
    hostAddresses().failAdds(fail ? Errno.ENOMEM.number() : 0);
  }

  void setRate(double r) {
    rate = r;
    NodeScheduler s = scheduler;
    if (s != null) {
      s.setRate(r);
    }
  }

  private void clear() {
    scheduler = null;
    transport = null;
    witness = null;
    election = null;
    member = null;
    addresses = null;
    health = null;
    probes = null;
  }

  private static <T> T requireNonNull(@Nullable T t) {
    if (t == null) {
      throw new IllegalStateException("member is not running");
    }
    return t;
  }

}
