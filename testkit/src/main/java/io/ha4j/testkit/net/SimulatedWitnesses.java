package io.ha4j.testkit.net;

import io.ha4j.api.Scheduler;
import io.ha4j.api.transport.WitnessTransport;
import io.ha4j.api.transport.WitnessTransport.CloseReason;
import io.ha4j.api.transport.WitnessTransport.ProbeResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The witness connections of a {@link SimulatedNetwork}: reliable, ordered streams with the
 * kernels' behaviour a death witness rests on. A crashed <em>process</em>'s kernel closes its
 * connections (FIN, {@link SimulatedNetwork#PROCESS_CLOSE_DELAY} after the kill, the time it takes
 * to free the process's memory) and refuses connections and probes to its port; a crashed
 * <em>host</em> is silent, and probes and connects to it time out. A reset injected on the path is
 * dropped while connections are keyed (TCP-MD5). Segments wait out a cut and arrive after the
 * heal, in order, as TCP's retransmissions would bring them; datagram loss does not apply.
 * Callbacks run on the timeline (the transport's thread).
 */
final class SimulatedWitnesses {

  /** How long a connect to a silent host takes to fail. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  private final Scheduler timeline;
  private final Function<InetAddress[], Duration> delay;
  private final BiPredicate<InetAddress, InetAddress> cut;
  private final Map<InetSocketAddress, Endpoint> listening = new HashMap<>();
  private final List<Endpoint> endpoints = new ArrayList<>();
  private final Set<InetAddress> hostsDown = new HashSet<>();
  /** Ends whose segments wait for a cut to heal. */
  private final Set<End> waiting = new LinkedHashSet<>();
  boolean keyed = true;
  /** A planted bug: the peer's closes never reach the handlers (for the invariants' own tests). */
  boolean losesCloses;
  long resetsDropped;

  SimulatedWitnesses(Scheduler timeline, Function<InetAddress[], Duration> delay, BiPredicate<InetAddress, InetAddress> cut) {
    this.timeline = timeline;
    this.delay = delay;
    this.cut = cut;
  }

  WitnessTransport attach(InetSocketAddress address) {
    Endpoint old = listening.get(address);
    if (old != null && old.alive) {
      throw new IllegalStateException("witness endpoint already attached: " + address);
    }
    hostsDown.remove(address.getAddress());
    Endpoint e = new Endpoint(address);
    endpoints.add(e);
    return e;
  }

  void crashProcess(InetAddress host) {
    for (Endpoint e : List.copyOf(endpoints)) {
      if (e.host().equals(host) && e.alive) {
        e.die();
        for (End end : List.copyOf(e.ends)) {
          end.open = false;
          End peer = end.peer;
          if (peer != null) {
            timeline.schedule(SimulatedNetwork.PROCESS_CLOSE_DELAY, () -> end.enqueue(() -> peer.peerClosed(CloseReason.END_OF_STREAM)));
          }
        }
      }
    }
  }

  void crashHost(InetAddress host) {
    hostsDown.add(host);
    for (Endpoint e : List.copyOf(endpoints)) {
      if (e.host().equals(host)) {
        e.die();
        for (End end : e.ends) {
          end.open = false;
          end.queue.clear();
          waiting.remove(end);
        }
      }
    }
  }

  void injectReset(InetAddress a, InetAddress b) {
    for (Endpoint e : List.copyOf(endpoints)) {
      for (End end : List.copyOf(e.ends)) {
        End peer = end.peer;
        if (end.open && peer != null && (e.host().equals(a) && peer.endpoint.host().equals(b)
            || e.host().equals(b) && peer.endpoint.host().equals(a))) {
          if (keyed) {
            resetsDropped++; // no valid MD5 signature: the kernel drops the segment
          } else {
            end.peerClosed(CloseReason.RESET);
          }
        }
      }
    }
  }

  /** The cuts may have healed: what waited goes out. */
  void flush() {
    for (End end : List.copyOf(waiting)) {
      end.flush();
    }
  }

  private Duration oneWay(InetAddress from, InetAddress to) {
    return delay.apply(new InetAddress[] {from, to});
  }

  private boolean silent(InetAddress from, InetAddress to) {
    return hostsDown.contains(to) || cut.test(from, to);
  }

  /** One process's witness transport, listening at {@code address} once asked to. */
  private final class Endpoint implements WitnessTransport {
    final InetSocketAddress address;
    final List<End> ends = new ArrayList<>();
    @Nullable Consumer<WitnessConnection> acceptor;
    boolean alive = true;
    int port = 40000;

    Endpoint(InetSocketAddress address) {
      this.address = address;
    }

    InetAddress host() {
      return address.getAddress();
    }

    /** Kept in {@link #endpoints}: a dead process's kernel still sends what it queued. */
    void die() {
      alive = false;
      acceptor = null;
      listening.remove(address, this);
    }

    @Override
    public void listen(Consumer<WitnessConnection> a) {
      if (alive) {
        acceptor = Objects.requireNonNull(a, "acceptor");
        listening.put(address, this);
      }
    }

    @Override
    public void connect(InetSocketAddress peer, WitnessConnection.Handler handler) {
      End mine = new End(this, peer, handler);
      if (!alive) {
        return;
      }
      InetAddress to = peer.getAddress();
      if (silent(host(), to)) {
        timeline.schedule(CONNECT_TIMEOUT, () -> mine.hear(h -> h.closed(mine, CloseReason.TIMED_OUT)));
        return;
      }
      Duration there = oneWay(host(), to);
      timeline.schedule(there, () -> {
        Endpoint target = listening.get(peer);
        if (!alive || silent(host(), to)) {
          return;
        }
        Duration back = oneWay(to, host());
        if (target == null || !target.alive || target.acceptor == null) {
          timeline.schedule(back, () -> mine.hear(h -> h.closed(mine, CloseReason.RESET)));
          return;
        }
        End theirs = new End(target, new InetSocketAddress(host(), port++), null);
        mine.peer = theirs;
        theirs.peer = mine;
        ends.add(mine);
        target.ends.add(theirs);
        Objects.requireNonNull(target.acceptor).accept(theirs);
        timeline.schedule(back, () -> mine.hear(h -> h.opened(mine)));
      });
    }

    @Override
    public void probe(InetSocketAddress peer, Duration timeout, Consumer<ProbeResult> result) {
      InetAddress to = peer.getAddress();
      if (!alive) {
        return;
      }
      Duration there = oneWay(host(), to);
      Duration back = oneWay(to, host());
      if (silent(host(), to) || silent(to, host()) || there.plus(back).compareTo(timeout) > 0) {
        timeline.schedule(timeout, () -> result.accept(ProbeResult.TIMED_OUT));
        return;
      }
      timeline.schedule(there, () -> {
        Endpoint target = listening.get(peer);
        boolean listens = target != null && target.alive;
        timeline.schedule(back, () -> result.accept(listens ? ProbeResult.ACCEPTED : ProbeResult.REFUSED));
      });
    }

    @Override
    public void close() {
      acceptor = null;
      listening.remove(address, this);
      for (End e : List.copyOf(ends)) {
        e.close();
      }
      alive = false;
    }

    @Override
    public String toString() {
      return "simulated witness endpoint " + address;
    }
  }

  /** One end of a connection; what it sends waits in order for the link. */
  private final class End implements WitnessTransport.WitnessConnection {
    final Endpoint endpoint;
    final InetSocketAddress peerAddress;
    @Nullable Handler handler;
    @Nullable End peer;
    boolean open = true;
    final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    long lastArrival = Long.MIN_VALUE;

    End(Endpoint endpoint, InetSocketAddress peerAddress, @Nullable Handler handler) {
      this.endpoint = endpoint;
      this.peerAddress = peerAddress;
      this.handler = handler;
    }

    void hear(Consumer<Handler> event) {
      Handler h = handler;
      if (h != null && endpoint.alive) {
        event.accept(h);
      }
    }

    @Override
    public InetSocketAddress peer() {
      return peerAddress;
    }

    @Override
    public void attach(Handler h) {
      handler = h;
      hear(x -> x.opened(this));
    }

    @Override
    public void send(ByteBuffer message) {
      End p = peer;
      if (!open || p == null || !endpoint.alive) {
        return;
      }
      byte[] bytes = new byte[message.remaining()];
      message.duplicate().get(bytes);
      enqueue(() -> p.hear(h -> {
        if (p.open) {
          h.received(p, ByteBuffer.wrap(bytes).asReadOnlyBuffer());
        }
      }));
    }

    @Override
    public void close() {
      if (!open) {
        return;
      }
      open = false;
      endpoint.ends.remove(this);
      hear(h -> h.closed(this, CloseReason.LOCAL));
      End p = peer;
      if (p != null) {
        enqueue(() -> p.peerClosed(CloseReason.END_OF_STREAM));
      }
    }

    void peerClosed(CloseReason reason) {
      if (!open) {
        return;
      }
      open = false;
      endpoint.ends.remove(this);
      if (!losesCloses) {
        hear(h -> h.closed(this, reason));
      }
    }

    /** Sends {@code segment} towards the peer after what is queued, when the link lets it. */
    void enqueue(Runnable segment) {
      queue.add(segment);
      flush();
    }

    void flush() {
      End p = peer;
      if (p == null) {
        return;
      }
      InetAddress from = endpoint.host();
      InetAddress to = p.endpoint.host();
      while (!queue.isEmpty() && !silent(from, to)) {
        Runnable segment = queue.poll();
        long now = timeline.clock().nanoTime();
        long at = Math.max(now + oneWay(from, to).toNanos(), lastArrival);
        lastArrival = at;
        timeline.schedule(Duration.ofNanos(at - now), segment);
      }
      if (queue.isEmpty()) {
        waiting.remove(this);
      } else {
        waiting.add(this);
      }
    }
  }
}
