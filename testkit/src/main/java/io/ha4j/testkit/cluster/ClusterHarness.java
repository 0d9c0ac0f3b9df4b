package io.ha4j.testkit.cluster;

import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.testkit.net.SimulatedNetwork;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A whole cluster in one thread: members running the real ha-heartbeat election and the real
 * {@link io.ha4j.core.member.Member} logic, on one {@link VirtualClock} timeline, talking over one
 * {@link SimulatedNetwork}, with faults injected on command or from a {@link Scenario}. Everything
 * that happens is recorded in a {@link History}; the same seed and scenario give the same history.
 *
 * <pre>{@code
 * ClusterHarness cluster = ClusterHarness.create(ClusterConfig.of(3), 42);
 * cluster.start();
 * cluster.runFor(Duration.ofSeconds(5));
 * cluster.inject(new Fault.Crash(cluster.master().orElseThrow()));
 * cluster.runFor(Duration.ofSeconds(5));
 * cluster.assertInvariants();
 * }</pre>
 *
 * <p>Each member's host has its own {@link io.ha4j.testkit.vip.FakeAddressKernel} (driven by
 * ha-vip's {@code VipOwner}) and {@link io.ha4j.testkit.ipvs.FakeIpvsKernel} (driven by the IPVS
 * client); a crash takes the host, its addresses and its table with it, a restart keeps them.
 * The real servers of the cluster's {@link RealServerPool} answer probes on the same network; each
 * member's real {@link io.ha4j.core.health.HealthEngine} probes them on the member's scheduler, so
 * a {@link Fault.RealServerDown} reaches a member's table only after that member's own checks
 * failed {@code fall} rounds. Not thread-safe.
 */
public final class ClusterHarness {

  private final ClusterConfig config;
  private final long seed;
  private final VirtualClock clock = new VirtualClock();
  private final VirtualScheduler faults = clock.newScheduler("faults");
  /** Where a {@link Fault.Flood}'s stranger sends from: no member's address. */
  private static final InetAddress FLOOD_SOURCE = InetAddress.getLoopbackAddress();
  private final SimulatedNetwork network;
  private final History history;
  private final Map<String, SimulatedMember> members = new LinkedHashMap<>();
  private final RealServerHosts realServers;
  private boolean started;

  private ClusterHarness(ClusterConfig config, long seed) {
    this.config = Objects.requireNonNull(config, "config");
    this.seed = seed;
    this.network = new SimulatedNetwork(faults, seed);
    network.setDefaultConditions(config.link());
    this.history = new History(config);
    for (String n : config.nodes()) {
      members.put(n, new SimulatedMember(n, config, clock, network, history, seed));
    }
    this.realServers = new RealServerHosts(config.realServers(), network, faults);
  }

  /** A cluster of {@code config}, not started, whose network draws every random choice from {@code seed}. */
  public static ClusterHarness create(ClusterConfig config, long seed) {
    return new ClusterHarness(config, seed);
  }

  /**
   * Runs {@code scenario} from the start to its horizon with {@code seed} and returns the cluster
   * (its history, roles, addresses as they are at the horizon).
   */
  public static ClusterHarness run(Scenario scenario, long seed) {
    ClusterHarness h = create(scenario.cluster(), seed);
    h.start();
    for (Scenario.TimedFault f : scenario.faults()) {
      h.schedule(f.at(), f.fault());
    }
    h.runUntil(scenario.horizon());
    return h;
  }

  /**
   * Replays a reproducer printed by a failed property: runs the scenario text with the seed and
   * checks every {@link Invariant}.
   *
   * @return the history, if no invariant is violated
   * @throws AssertionError listing the violations and the history
   */
  public static History replay(long seed, String scenario) {
    ClusterHarness h = run(Scenario.parse(scenario), seed);
    h.assertInvariants();
    return h.history();
  }

  /** Starts every member at time 0. */
  public void start() {
    if (started) {
      return;
    }
    started = true;
    members.values().forEach(SimulatedMember::start);
    clock.runDue();
  }

  /** The cluster's settings. */
  public ClusterConfig config() {
    return config;
  }

  /** The seed of the network's random choices. */
  public long seed() {
    return seed;
  }

  /** The timeline; read it for the current virtual time. */
  public VirtualClock clock() {
    return clock;
  }

  /** The network between the members, for direct control of links. */
  public SimulatedNetwork network() {
    return network;
  }

  /** What happened so far. */
  public History history() {
    history.end(clock.nanoTime());
    return history;
  }

  /** The members' names, {@code n1} .. {@code nN}. */
  public List<String> nodes() {
    return config.nodes();
  }

  /** The role of {@code node} now ({@code INIT} while it is down). */
  public Role role(String node) {
    return member(node).role();
  }

  /** The members that are MASTER now. */
  public List<String> masters() {
    List<String> m = new ArrayList<>();
    members.forEach((n, s) -> {
      if (s.role() == Role.MASTER) {
        m.add(n);
      }
    });
    return m;
  }

  /** The single master, if there is exactly one. */
  public java.util.Optional<String> master() {
    List<String> m = masters();
    return m.size() == 1 ? java.util.Optional.of(m.get(0)) : java.util.Optional.empty();
  }

  /** The virtual addresses present on {@code node}'s host now. */
  public Set<VirtualAddress> addresses(String node) {
    return Set.copyOf(member(node).addresses());
  }

  /** Whether real server {@code name} ({@code rs1} ..) answers now. */
  public boolean realServerUp(String name) {
    config.realServers().index(name);
    return realServers.isUp(name);
  }

  /**
   * The table of {@code node}'s host now, as its fake IPVS kernel holds it (empty while it has
   * crashed and not restarted).
   */
  public List<io.ha4j.api.table.TableEntry> table(String node) {
    return member(node).table();
  }

  /** The running election of {@code node}, for its stats; null while the member is down. */
  public @Nullable VrrpElection election(String node) {
    return member(node).election();
  }

  /** Lets {@code d} of virtual time pass, running everything that falls due. */
  public void runFor(Duration d) {
    clock.advanceBy(d);
  }

  /** Lets virtual time pass until {@code t} after the start. */
  public void runUntil(Duration t) {
    clock.advanceTo(t.toNanos());
  }

  /** Injects {@code fault} now. */
  public void inject(Fault fault) {
    Objects.requireNonNull(fault, "fault");
    history.record(new History.FaultApplied(clock.nanoTime(), fault));
    apply(fault);
    clock.runDue();
  }

  /** Injects {@code fault} at {@code at} after the start (now, if that has passed). */
  public void schedule(Duration at, Fault fault) {
    Objects.requireNonNull(fault, "fault");
    long delay = Math.max(0, at.toNanos() - clock.nanoTime());
    faults.schedule(Duration.ofNanos(delay), () -> {
      history.record(new History.FaultApplied(clock.nanoTime(), fault));
      apply(fault);
    });
  }

  /** The violations of every {@link Invariant} in the history so far. */
  public List<Violation> check() {
    return Invariant.checkAll(history());
  }

  /** Throws an {@link AssertionError} with the violations and the history if there are any. */
  public void assertInvariants() {
    List<Violation> v = check();
    if (!v.isEmpty()) {
      StringBuilder b = new StringBuilder(v.size() + " invariant violation(s), seed " + seed + ":\n");
      v.forEach(x -> b.append("  ").append(x).append('\n'));
      b.append(history.render());
      throw new AssertionError(b.toString());
    }
  }

  private void apply(Fault fault) {
    if (fault instanceof Fault.Crash c) {
      member(c.node()).crash();
    } else if (fault instanceof Fault.Kill k) {
      member(k.node()).kill();
    } else if (fault instanceof Fault.WitnessReset r) {
      network.injectWitnessReset(config.address(r.a()), config.address(r.b()));
    } else if (fault instanceof Fault.Stop s) {
      member(s.node()).stop();
    } else if (fault instanceof Fault.Restart r) {
      member(r.node()).restart();
    } else if (fault instanceof Fault.ClockBack c) {
      member(c.node()).restartWithClockBehind();
    } else if (fault instanceof Fault.Stall s) {
      SimulatedMember m = member(s.node());
      if (m.running()) {
        m.stall(s.duration());
        faults.schedule(s.duration(), () -> {
          if (m.resumeIfDue()) {
            history.record(new History.StallEnded(clock.nanoTime(), m.name()));
          }
        });
      }
    } else if (fault instanceof Fault.PriorityDrop p) {
      member(p.node()).setCheck(false);
    } else if (fault instanceof Fault.PriorityRestore p) {
      member(p.node()).setCheck(true);
    } else if (fault instanceof Fault.InterfaceDown i) {
      member(i.node()).setInterface(false);
    } else if (fault instanceof Fault.InterfaceUp i) {
      member(i.node()).setInterface(true);
    } else if (fault instanceof Fault.ClockDrift d) {
      member(d.node()).setRate(d.rate());
    } else if (fault instanceof Fault.VipAddFailing v) {
      member(v.node()).setAddsFail(true);
    } else if (fault instanceof Fault.VipAddWorking v) {
      member(v.node()).setAddsFail(false);
    } else if (fault instanceof Fault.Partition p) {
      List<Set<String>> sides = p.sides();
      for (int i = 0; i < sides.size(); i++) {
        for (int j = i + 1; j < sides.size(); j++) {
          network.partition(addresses(sides.get(i)), addresses(sides.get(j)));
        }
      }
    } else if (fault instanceof Fault.Cut c) {
      network.cut(config.address(c.from()), config.address(c.to()));
    } else if (fault instanceof Fault.Heal) {
      network.heal();
    } else if (fault instanceof Fault.Loss l) {
      network.setDefaultConditions(config.link().withLoss(l.probability()));
    } else if (fault instanceof Fault.RealServerDown d) {
      realServers.down(d.realServer());
    } else if (fault instanceof Fault.RealServerUp u) {
      realServers.up(u.realServer());
    } else if (fault instanceof Fault.DuplicateId d) {
      member(d.node()).restartAs(d.twin());
    } else if (fault instanceof Fault.Flood f) {
      flood(f);
    }
  }

  /** A stranger's and forged peers' random datagrams at the member's heartbeat port, on the fault timeline. */
  private void flood(Fault.Flood f) {
    java.util.Random random = new java.util.Random(seed ^ clock.nanoTime() ^ f.text().hashCode());
    InetSocketAddress target = new InetSocketAddress(config.address(f.node()), SimulatedMember.PORT);
    List<InetSocketAddress> sources = new ArrayList<>();
    sources.add(new InetSocketAddress(FLOOD_SOURCE, SimulatedMember.PORT));
    for (String n : config.nodes()) {
      if (!n.equals(f.node())) {
        sources.add(new InetSocketAddress(config.address(n), SimulatedMember.PORT));
      }
    }
    long span = f.duration().toNanos();
    for (int i = 0; i < f.datagrams(); i++) {
      byte[] bytes = new byte[1 + random.nextInt(160)];
      random.nextBytes(bytes);
      InetSocketAddress from = sources.get(random.nextInt(sources.size()));
      faults.schedule(Duration.ofNanos(span * i / f.datagrams()), () -> network.inject(from, target, bytes));
    }
  }

  private List<InetAddress> addresses(Set<String> nodes) {
    return nodes.stream().sorted().map(config::address).toList();
  }

  private SimulatedMember member(String node) {
    SimulatedMember m = members.get(node);
    if (m == null) {
      throw new IllegalArgumentException("no member '" + node + "' in " + members.keySet());
    }
    return m;
  }
}
