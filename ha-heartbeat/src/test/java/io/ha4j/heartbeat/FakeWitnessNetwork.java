package io.ha4j.heartbeat;

import io.ha4j.api.Scheduler;
import io.ha4j.api.transport.WitnessTransport;
import io.ha4j.api.transport.WitnessTransport.CloseReason;
import io.ha4j.api.transport.WitnessTransport.ProbeResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * In-memory witness connections on virtual time, with the kernels' behaviour a death witness rests
 * on: a crashed process's kernel closes its connections ({@link #crashProcess}) and refuses
 * probes; a crashed host is silent and its probes time out ({@link #crashHost}); a reset injected
 * on the path is dropped when connections are keyed ({@link #injectReset}). Callbacks run on the
 * {@code wire} scheduler (the transport's thread).
 */
final class FakeWitnessNetwork {

  private final Scheduler wire;
  private final Duration latency;
  /** How long a dead process's kernel takes to close its connections (it frees the heap first). */
  Duration closeDelay = Duration.ofMillis(3);
  /** Whether connections are keyed (TCP-MD5): an injected reset never reaches them. */
  boolean keyed = true;
  private final Map<InetAddress, Process> processes = new HashMap<>();
  private final Set<InetAddress> hostsDown = new HashSet<>();
  int droppedResets;

  FakeWitnessNetwork(Scheduler wire, Duration latency) {
    this.wire = wire;
    this.latency = latency;
  }

  /** A new process on host {@code address}: its witness transport. */
  Process attach(InetAddress address) {
    Process p = new Process(address);
    processes.put(address, p);
    hostsDown.remove(address);
    return p;
  }

  /** kill -9: the kernel closes the process's connections (FIN) and refuses probes to its port. */
  void crashProcess(InetAddress host) {
    Process p = processes.get(host);
    if (p == null || !p.alive) {
      return;
    }
    p.alive = false;
    p.acceptor = null;
    for (End e : List.copyOf(p.ends)) {
      e.open = false;
      wire.schedule(closeDelay.plus(latency), () -> e.other().peerClosed(CloseReason.END_OF_STREAM));
    }
    p.ends.clear();
  }

  /** The host is gone: no FIN, no RST; probes and connects to it time out. */
  void crashHost(InetAddress host) {
    Process p = processes.get(host);
    if (p != null) {
      p.alive = false;
      p.acceptor = null;
      p.ends.forEach(e -> e.open = false);
      p.ends.clear();
    }
    hostsDown.add(host);
  }

  /** The host is back with a fresh kernel: it answers segments of old connections with an unkeyed reset. */
  void rebootHost(InetAddress host) {
    hostsDown.remove(host);
    for (Process p : processes.values()) {
      for (End e : List.copyOf(p.ends)) {
        if (e.other().process.address.equals(host)) {
          deliverReset(e);
        }
      }
    }
  }

  /** A middlebox or attacker resets the connections between {@code a} and {@code b}. */
  void injectReset(InetAddress a, InetAddress b) {
    for (Process p : List.copyOf(processes.values())) {
      if (p.address.equals(a) || p.address.equals(b)) {
        for (End e : List.copyOf(p.ends)) {
          InetAddress other = e.other().process.address;
          if (other.equals(a) || other.equals(b)) {
            deliverReset(e);
          }
        }
      }
    }
  }

  private void deliverReset(End e) {
    if (keyed) {
      droppedResets++; // no valid MD5 option: the kernel drops it
      return;
    }
    e.peerClosed(CloseReason.RESET);
  }

  private boolean reachable(InetAddress host) {
    return !hostsDown.contains(host);
  }

  /** One process's witness transport. */
  final class Process implements WitnessTransport {
    final InetAddress address;
    boolean alive = true;
    /** The witness thread runs: without it nothing is accepted or handed over, but the kernel still answers. */
    boolean threadAlive = true;
    /** Sends fail (an error on this side). */
    boolean sendsFail;
    @Nullable Consumer<WitnessConnection> acceptor;
    final List<End> ends = new ArrayList<>();
    int listens;

    Process(InetAddress address) {
      this.address = address;
    }

    @Override
    public void listen(Consumer<WitnessConnection> a) {
      listens++;
      acceptor = a;
    }

    @Override
    public void connect(InetSocketAddress peer, WitnessConnection.Handler handler) {
      End mine = new End(this, new InetSocketAddress(peer.getAddress(), peer.getPort()));
      mine.handler = handler;
      wire.schedule(latency, () -> {
        Process target = processes.get(peer.getAddress());
        if (!alive) {
          return;
        }
        if (!reachable(peer.getAddress()) || target == null) {
          wire.schedule(Duration.ofSeconds(1), () -> mine.event(h -> h.closed(mine, CloseReason.TIMED_OUT)));
          return;
        }
        if (!target.alive || target.acceptor == null && target.threadAlive) {
          wire.schedule(latency, () -> mine.event(h -> h.closed(mine, CloseReason.RESET)));
          return;
        }
        End theirs = new End(target, new InetSocketAddress(address, 40000 + ends.size()));
        mine.peerEnd = theirs;
        theirs.peerEnd = mine;
        ends.add(mine);
        target.ends.add(theirs);
        Consumer<WitnessConnection> a = target.acceptor;
        if (target.threadAlive && a != null) {
          a.accept(theirs);
        }
        wire.schedule(latency, () -> mine.event(h -> h.opened(mine)));
      });
    }

    @Override
    public void probe(InetSocketAddress peer, Duration timeout, Consumer<ProbeResult> result) {
      Process target = processes.get(peer.getAddress());
      if (!reachable(peer.getAddress()) || target == null) {
        wire.schedule(timeout, () -> result.accept(ProbeResult.TIMED_OUT));
      } else {
        boolean listening = target.alive;
        wire.schedule(latency.multipliedBy(2), () -> result.accept(listening ? ProbeResult.ACCEPTED : ProbeResult.REFUSED));
      }
    }

    @Override
    public void close() {
      acceptor = null;
      for (End e : List.copyOf(ends)) {
        e.close();
      }
    }
  }

  /** One end of a connection. */
  final class End implements WitnessTransport.WitnessConnection {
    final Process process;
    final InetSocketAddress peerAddress;
    @Nullable Handler handler;
    @Nullable End peerEnd;
    boolean open = true;
    final List<ByteBuffer> received = new ArrayList<>();

    End(Process process, InetSocketAddress peerAddress) {
      this.process = process;
      this.peerAddress = peerAddress;
    }

    End other() {
      End p = peerEnd;
      if (p == null) {
        throw new IllegalStateException("not connected");
      }
      return p;
    }

    void event(Consumer<Handler> e) {
      Handler h = handler;
      if (h != null && process.alive && process.threadAlive) {
        e.accept(h);
      }
    }

    @Override
    public InetSocketAddress peer() {
      return peerAddress;
    }

    @Override
    public void attach(Handler h) {
      handler = h;
      wire.execute(() -> event(x -> x.opened(this)));
    }

    @Override
    public void send(ByteBuffer message) {
      if (!open) {
        return;
      }
      if (process.sendsFail) {
        throw new IllegalStateException("send failed (planted)");
      }
      byte[] bytes = new byte[message.remaining()];
      message.duplicate().get(bytes);
      End p = other();
      wire.schedule(latency, () -> {
        if (p.open && reachable(p.process.address)) {
          p.received.add(ByteBuffer.wrap(bytes));
          p.event(h -> h.received(p, ByteBuffer.wrap(bytes)));
        }
      });
    }

    @Override
    public void close() {
      if (!open) {
        return;
      }
      open = false;
      process.ends.remove(this);
      wire.execute(() -> event(h -> h.closed(this, CloseReason.LOCAL)));
      End p = peerEnd;
      if (p != null) {
        wire.schedule(latency, () -> p.peerClosed(CloseReason.END_OF_STREAM));
      }
    }

    void peerClosed(CloseReason reason) {
      if (!open) {
        return;
      }
      open = false;
      process.ends.remove(this);
      event(h -> h.closed(this, reason));
    }
  }
}
