package io.ha4j.testkit.net;

import io.ha4j.api.Scheduler;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.api.transport.WitnessTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process network that members attach to instead of sockets, in the spirit of JGroups'
 * {@code SHARED_LOOPBACK} with {@code DISCARD}: failure detection is tested without real sockets,
 * and with faults a test picks.
 *
 * <p>Datagrams travel on the {@code timeline} scheduler (the virtual scheduler of a simulation) and
 * are handed to the receiving member's own scheduler on arrival, so a stalled member sees them late,
 * with their true arrival time in {@link Datagram#receivedAtNanos()}. Every random choice (loss,
 * jitter, duplication, reordering) comes from one {@link SplittableRandom} seeded once: with a
 * deterministic scheduler, the same seed gives the same deliveries.
 *
 * <p>A datagram to a multicast address reaches every other endpoint bound to the same port, as
 * with multicast loopback off. Not thread-safe: use it from the timeline's thread.
 */
public final class SimulatedNetwork {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedNetwork.class);

  /**
   * How long a crashed process's kernel takes to close its witness connections: it frees the
   * process's memory first (3-4 ms measured for a 64 MiB heap).
   */
  public static final Duration PROCESS_CLOSE_DELAY = Duration.ofMillis(3);

  /** Counts of what the network did, for reports and assertions. */
  public record Stats(long sent, long delivered, long lost, long blocked, long duplicated) {}

  private final Scheduler timeline;
  private final SplittableRandom random;
  private final Map<InetSocketAddress, Endpoint> endpoints = new LinkedHashMap<>();
  private final Map<Link, LinkConditions> links = new HashMap<>();
  private final Set<Link> cut = new HashSet<>();
  private LinkConditions defaults = LinkConditions.PERFECT;
  private final SimulatedWitnesses witnesses;
  private long sent;
  private long delivered;
  private long lost;
  private long blocked;
  private long duplicated;

  private record Link(InetAddress from, InetAddress to) {}

  public SimulatedNetwork(Scheduler timeline, long seed) {
    this.timeline = Objects.requireNonNull(timeline, "timeline");
    this.random = new SplittableRandom(seed);
    this.witnesses = new SimulatedWitnesses(timeline,
        hosts -> links.getOrDefault(new Link(hosts[0], hosts[1]), defaults).delay(), this::isCut);
  }

  /**
   * The witness transport of a member's process at {@code endpoint} (its address and witness
   * port): keyed, reliable, ordered connections, whose callbacks run on the timeline. See {@link
   * #crashProcess} and {@link #crashHost} for how the two deaths differ.
   *
   * @throws IllegalStateException if a live process holds the endpoint
   */
  public WitnessTransport attachWitness(InetSocketAddress endpoint) {
    return witnesses.attach(Objects.requireNonNull(endpoint, "endpoint"));
  }

  /**
   * The process on {@code host} dies, the host stays up: its kernel closes the process's witness
   * connections ({@link #PROCESS_CLOSE_DELAY} later) and refuses connections and probes to its
   * witness port.
   */
  public void crashProcess(InetAddress host) {
    witnesses.crashProcess(host);
  }

  /**
   * {@code host} dies: its witness connections fall silent (nothing tells the peers), and probes
   * and connects to it time out, until a process attaches there again (the host is back).
   */
  public void crashHost(InetAddress host) {
    witnesses.crashHost(host);
  }

  /**
   * A middlebox or an attacker resets the witness connections between hosts {@code a} and {@code
   * b}: dropped while the connections are keyed ({@link #setWitnessKeyed}), as a kernel with
   * TCP-MD5 drops it; otherwise both ends hear RESET.
   */
  public void injectWitnessReset(InetAddress a, InetAddress b) {
    witnesses.injectReset(a, b);
  }

  /** Whether witness connections are keyed (default true); unkeyed, injected resets reach them. */
  public void setWitnessKeyed(boolean keyed) {
    witnesses.keyed = keyed;
  }

  /**
   * A planted bug, for the invariants' own tests: from now on the peer's closes of witness
   * connections never reach their handlers (a witness that ignores closes).
   */
  public void loseWitnessCloses() {
    witnesses.losesCloses = true;
  }

  /** Injected resets the keyed witness connections dropped. */
  public long witnessResetsDropped() {
    return witnesses.resetsDropped;
  }

  /**
   * Attaches a member at {@code address}; its received datagrams run on {@code memberScheduler}.
   *
   * @throws IllegalStateException if the address is taken by an open endpoint
   */
  public DatagramTransport attach(InetSocketAddress address, Scheduler memberScheduler) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(memberScheduler, "memberScheduler");
    if (endpoints.containsKey(address)) {
      throw new IllegalStateException("address already attached: " + address);
    }
    Endpoint e = new Endpoint(address, memberScheduler);
    endpoints.put(address, e);
    return e;
  }

  /** Conditions for every link without its own. */
  public void setDefaultConditions(LinkConditions conditions) {
    this.defaults = Objects.requireNonNull(conditions, "conditions");
  }

  /** Conditions for the one-way link {@code from -> to}. */
  public void setConditions(InetAddress from, InetAddress to, LinkConditions conditions) {
    links.put(new Link(from, to), Objects.requireNonNull(conditions, "conditions"));
  }

  /** Drops everything from {@code from} to {@code to} (a one-way partition). */
  public void cut(InetAddress from, InetAddress to) {
    cut.add(new Link(from, to));
  }

  /** Separates the two sides in both directions. */
  public void partition(Collection<InetAddress> sideA, Collection<InetAddress> sideB) {
    for (InetAddress a : sideA) {
      for (InetAddress b : sideB) {
        cut.add(new Link(a, b));
        cut.add(new Link(b, a));
      }
    }
  }

  /** Cuts {@code host} off from every other attached host, both ways. */
  public void isolate(InetAddress host) {
    List<InetAddress> others = new ArrayList<>();
    for (InetSocketAddress a : endpoints.keySet()) {
      if (!a.getAddress().equals(host)) {
        others.add(a.getAddress());
      }
    }
    partition(List.of(host), others);
  }

  /** Removes every cut and partition; link conditions stay. */
  public void heal() {
    cut.clear();
    witnesses.flush();
  }

  /** Whether datagrams from {@code from} to {@code to} are dropped by a cut or partition. */
  public boolean isCut(InetAddress from, InetAddress to) {
    return cut.contains(new Link(from, to));
  }

  public Stats stats() {
    return new Stats(sent, delivered, lost, blocked, duplicated);
  }

  /**
   * Delivers {@code bytes} to {@code destination} as if {@code source} had sent them (a forged or
   * foreign sender, attached nowhere), after the default delay; cuts and loss do not apply.
   */
  public void inject(InetSocketAddress source, InetSocketAddress destination, byte[] bytes) {
    sent++;
    Endpoint to = endpoints.get(destination);
    if (to == null) {
      lost++;
      return;
    }
    byte[] copy = bytes.clone();
    timeline.schedule(defaults.delay(), () -> to.arrive(source, copy));
  }

  private void send(Endpoint from, InetSocketAddress destination, ByteBuffer payload) {
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    sent++;
    if (destination.getAddress().isMulticastAddress()) {
      for (Endpoint to : List.copyOf(endpoints.values())) {
        if (to != from && to.address.getPort() == destination.getPort()) {
          route(from, to, bytes);
        }
      }
    } else {
      Endpoint to = endpoints.get(destination);
      if (to != null) {
        route(from, to, bytes);
      } else {
        lost++;
      }
    }
  }

  private void route(Endpoint from, Endpoint to, byte[] bytes) {
    InetAddress src = from.address.getAddress();
    InetAddress dst = to.address.getAddress();
    if (cut.contains(new Link(src, dst))) {
      blocked++;
      LOG.trace("blocked {} -> {}", from.address, to.address);
      return;
    }
    LinkConditions c = links.getOrDefault(new Link(src, dst), defaults);
    if (c.loss() > 0 && random.nextDouble() < c.loss()) {
      lost++;
      LOG.trace("lost {} -> {}", from.address, to.address);
      return;
    }
    int copies = c.duplication() > 0 && random.nextDouble() < c.duplication() ? 2 : 1;
    if (copies == 2) {
      duplicated++;
    }
    for (int i = 0; i < copies; i++) {
      Duration delay = c.delay().plusNanos(jitter(c));
      if (c.reordering() > 0 && random.nextDouble() < c.reordering()) {
        delay = delay.plus(c.delay()).plusNanos(jitter(c)).plusNanos(1);
      }
      timeline.schedule(delay, () -> to.arrive(from.address, bytes));
    }
  }

  private long jitter(LinkConditions c) {
    long j = c.jitter().toNanos();
    return j > 0 ? random.nextLong(j) : 0;
  }

  private final class Endpoint implements DatagramTransport {
    private final InetSocketAddress address;
    private final Scheduler scheduler;
    private @Nullable Consumer<Datagram> receiver;
    private boolean closed;

    Endpoint(InetSocketAddress address, Scheduler scheduler) {
      this.address = address;
      this.scheduler = scheduler;
    }

    @Override
    public void start(Consumer<Datagram> r) {
      this.receiver = Objects.requireNonNull(r, "receiver");
    }

    @Override
    public void send(InetSocketAddress destination, ByteBuffer payload) {
      if (!closed) {
        SimulatedNetwork.this.send(this, destination, payload);
      }
    }

    void arrive(InetSocketAddress source, byte[] bytes) {
      Consumer<Datagram> r = receiver;
      if (closed || r == null) {
        lost++;
        return;
      }
      delivered++;
      // The receiving member's clock, which may drift from the timeline's.
      Datagram d = new Datagram(source, ByteBuffer.wrap(bytes).asReadOnlyBuffer(), 255, scheduler.clock().nanoTime());
      scheduler.execute(() -> {
        if (!closed) {
          r.accept(d);
        }
      });
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        endpoints.remove(address, this);
      }
    }

    @Override
    public String toString() {
      return "simulated endpoint " + address;
    }
  }
}
