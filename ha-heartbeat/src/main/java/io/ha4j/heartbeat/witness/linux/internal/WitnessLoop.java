package io.ha4j.heartbeat.witness.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.ha4j.api.Clock;
import io.ha4j.api.transport.WitnessTransport.CloseReason;
import io.ha4j.api.transport.WitnessTransport.ProbeResult;
import io.ha4j.api.transport.WitnessTransport.WitnessConnection;
import io.ha4j.linux.Errno;
import io.ha4j.linux.internal.Libc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The witness transport's poll thread: a {@code poll} over the wake-up eventfd, the listener, every
 * connection and every probe. Work from other threads arrives as commands through the eventfd, so
 * that every descriptor belongs to this thread, which keeps them in a descriptor table of its own
 * ({@link PrivateDescriptors}); callbacks and log lines leave it through the {@link Relay}.
 */
public final class WitnessLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(WitnessLoop.class);
  /** A keyed connect whose handshake does not finish in this time ends as timed out. */
  private static final long CONNECT_TIMEOUT_NANOS = Duration.ofSeconds(3).toNanos();
  /** The size of a {@code struct pollfd}. */
  static final int POLLFD = 8;
  private static final Memory NOTHING = new Memory(POLLFD);

  private final Clock clock;
  private final Set<InetAddress> peers;
  private final byte @Nullable [] key;
  private final int wakeFd;
  private final Memory wake = new Memory(8);
  private final Memory io = new Memory(16 * 1024);
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final Map<Integer, StreamConnection> connections = new LinkedHashMap<>();
  private final List<ProbeAttempt> probes = new ArrayList<>();
  private final EarlyProbes early = new EarlyProbes();
  private final AtomicLong strangers = new AtomicLong();
  private final AtomicLong badStreams = new AtomicLong();
  private final Relay relay = new Relay();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final Object wakeLock = new Object();
  private boolean wakeClosed;
  private volatile @Nullable String sharedBecause = "the poll thread has not started";
  private int listenFd = -1;
  private Memory fds = new Memory(POLLFD * 64L);
  private @Nullable Consumer<WitnessConnection> acceptor;
  private volatile boolean closed;
  private volatile int rehearsed = -1;

  /** A loop keyed with {@code key} (null: no RFC 2385 key) that accepts only from {@code peers}. */
  public WitnessLoop(Clock clock, Set<InetAddress> peers, byte @Nullable [] key) {
    this.clock = clock;
    this.peers = Set.copyOf(peers);
    this.key = key == null ? null : key.clone();
    this.wakeFd = Libc.INSTANCE.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
  }

  /** Listens at {@code address} (before the loop runs); returns the bound address. */
  public InetSocketAddress bind(InetSocketAddress address) {
    int fd = TcpSockets.highest(TcpSockets.open(address.getAddress()));
    try {
      byte[] k = key;
      if (k != null) {
        for (InetAddress p : peers) {
          TcpSockets.md5Key(fd, p, k);
        }
      }
      TcpSockets.listen(fd, address);
      listenFd = fd;
      return TcpSockets.localAddress(fd);
    } catch (LastErrorException e) {
      TcpSockets.close(fd);
      throw e;
    }
  }

  /** Connections accepted from addresses that are not peers (closed at once). */
  public long strangers() {
    return strangers.get();
  }

  /** Connections ended because their stream announced an oversized message. */
  public long badStreams() {
    return badStreams.get();
  }

  void countBadStream() {
    badStreams.incrementAndGet();
  }

  Memory io() {
    return io;
  }

  /** Runs {@code command} on the loop's thread. */
  public void submit(Runnable command) {
    commands.add(command);
    synchronized (wakeLock) {
      if (wakeClosed) {
        return;
      }
      wake.setLong(0, 1);
      try {
        Libc.INSTANCE.write(wakeFd, wake, 8);
      } catch (LastErrorException e) {
        // EAGAIN: the counter is full, the loop is woken anyway
      }
    }
  }

  /** The thread that runs this loop's callbacks and log lines. */
  public Relay relay() {
    return relay;
  }

  void relay(Runnable task) {
    relay.execute(task);
  }

  /**
   * Waits up to {@code timeout} for the poll thread to take its own descriptor table; returns why
   * the witness sockets stay in the process's table, or null. Once it has, the process's copy of
   * the listener is closed: only the poll thread's table holds it.
   */
  public @Nullable String awaitPrivateTable(Duration timeout) {
    try {
      if (!entered.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return "the poll thread did not start within " + timeout;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while the poll thread started";
    }
    String why = sharedBecause;
    if (why == null && listenFd >= 0) {
      TcpSockets.close(listenFd);
    }
    return why;
  }

  /** Closes the process's copy of the wake-up eventfd once the poll thread has ended. */
  public void closeWake() {
    synchronized (wakeLock) {
      if (!wakeClosed) {
        wakeClosed = true;
        TcpSockets.close(wakeFd);
      }
    }
  }

  /** Hands accepted connections to {@code a} from now on. */
  public void listen(Consumer<WitnessConnection> a) {
    submit(() -> acceptor = a);
  }

  /** Opens a keyed connection to {@code peer}. */
  public void connect(InetSocketAddress peer, WitnessConnection.Handler handler) {
    submit(() -> startConnect(peer, handler));
  }

  /** Probes {@code peer}'s witness endpoint. */
  public void probe(InetSocketAddress peer, Duration timeout, Consumer<ProbeResult> result) {
    submit(() -> {
      long now = clock.nanoTime();
      if (early.join(this, peer, now, now + timeout.toNanos(), result)) {
        return;
      }
      ProbeAttempt p = new ProbeAttempt(this, peer, now + timeout.toNanos(), result);
      if (p.start(now)) {
        probes.add(p);
      }
    });
  }

  /** A connection this loop opened to {@code peer} ended from the far side: ask the peer's kernel at once ({@link EarlyProbes}). */
  void probeEarly(InetSocketAddress peer) {
    long now = clock.nanoTime();
    ProbeAttempt p = early.begin(this, peer, now);
    if (p != null && p.start(now)) {
      probes.add(p);
    }
  }

  /** Loopback probes the poll thread made before it served ({@link ProbeRehearsal}); -1 until then. */
  public int rehearsedProbes() {
    return rehearsed;
  }

  /** Probes the loop started by itself at a connection's end. */
  public long earlyProbes() {
    return early.begun();
  }

  long nanoTime() {
    return clock.nanoTime();
  }

  /** Ends the loop: it closes everything on its way out. */
  public void stop() {
    closed = true;
    submit(() -> { });
  }

  /** Releases the descriptors of a loop that never ran (its listener could not be set up). */
  public void discard() {
    closed = true;
    shutDown();
    closeWake();
  }

  private void startConnect(InetSocketAddress peer, WitnessConnection.Handler handler) {
    int fd;
    try {
      fd = TcpSockets.open(peer.getAddress());
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      StreamConnection none = new StreamConnection(this, -1, peer, null, false, 0);
      relay(() -> {
        LOG.warn("witness connection to {}: no socket: {}", peer, Errno.describe(errno));
        handler.closed(none, CloseReason.FAILED);
      });
      return;
    }
    StreamConnection c = new StreamConnection(this, fd, peer, handler, true, clock.nanoTime() + CONNECT_TIMEOUT_NANOS);
    connections.put(fd, c);
    try {
      byte[] k = key;
      if (k != null) {
        TcpSockets.md5Key(fd, peer.getAddress(), k);
      }
      TcpSockets.configureConnection(fd);
      if (TcpSockets.connect(fd, peer)) {
        c.ready(Libc.POLLOUT, io);
      }
    } catch (LastErrorException e) {
      c.end(StreamConnection.reasonFor(e.getErrorCode()));
    }
  }

  void forget(StreamConnection c) {
    connections.remove(c.fd());
  }

  @Override
  public void run() {
    try {
      sharedBecause = PrivateDescriptors.enter(listenFd >= 0 ? Set.of(wakeFd, listenFd) : Set.of(wakeFd));
    } finally {
      entered.countDown();
    }
    String why = sharedBecause;
    if (why != null) {
      relay(() -> LOG.warn("witness sockets stay in the process's descriptor table ({}): a killed process's "
          + "death is seen only after the kernel has freed its memory", why));
    }
    rehearsed = ProbeRehearsal.run(this, clock);
    try {
      while (!closed) {
        try {
          pollOnce();
        } catch (RuntimeException | Error e) {
          // The thread must not end while the member runs: its own table would close the witness
          // sockets, and the peers would take that for this process's death.
          relay(() -> LOG.error("witness transport: the poll loop failed; going on", e));
          pause();
        }
      }
    } finally {
      shutDown();
    }
  }

  private void pollOnce() {
    List<Object> polled = new ArrayList<>();
    int n = 0;
    fds = room(fds, 2 + connections.size() + probes.size());
    n = put(fds, n, wakeFd, Libc.POLLIN);
    boolean listening = listenFd >= 0 && acceptor != null;
    if (listening) {
      n = put(fds, n, listenFd, Libc.POLLIN);
    }
    for (StreamConnection c : connections.values()) {
      if (!c.pending()) {
        n = put(fds, n, c.fd(), c.events());
        polled.add(c);
      }
    }
    for (ProbeAttempt p : probes) {
      n = put(fds, n, p.fd(), Libc.POLLOUT);
      polled.add(p);
    }
    try {
      Libc.INSTANCE.poll(fds, n, timeoutMillis());
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      if (!Errno.EINTR.is(errno)) {
        relay(() -> LOG.error("witness transport: poll failed: {}", Errno.describe(errno)));
        pause();
      }
      return;
    }
    int first = listening ? 2 : 1;
    if (listening && revents(fds, 1) != 0) {
      acceptAll();
    }
    for (int i = 0; i < polled.size(); i++) {
      short r = revents(fds, first + i);
      if (r == 0) {
        continue;
      }
      if (polled.get(i) instanceof StreamConnection c) {
        c.ready(r, io);
      } else {
        ((ProbeAttempt) polled.get(i)).ready();
      }
    }
    if (revents(fds, 0) != 0) {
      drainWake();
    }
    runCommands();
    expire();
  }

  /** A tenth of a second without work, after a failure that could repeat at once. */
  private static void pause() {
    try {
      Libc.INSTANCE.poll(NOTHING, 0, 100);
    } catch (LastErrorException e) {
      // EINTR: shorter, no harm
    }
  }

  private void acceptAll() {
    while (true) {
      TcpSockets.Accepted a;
      try {
        a = TcpSockets.accept(listenFd);
      } catch (LastErrorException e) {
        int errno = e.getErrorCode();
        relay(() -> LOG.warn("witness listener: accept failed: {}", Errno.describe(errno)));
        return;
      }
      if (a == null) {
        return;
      }
      Consumer<WitnessConnection> to = acceptor;
      if (to == null || !peers.contains(a.peer().getAddress())) {
        strangers.incrementAndGet();
        relay(() -> LOG.debug("witness listener: closing a connection from {}, not a peer", a.peer()));
        TcpSockets.abort(a.fd());
        continue;
      }
      try {
        TcpSockets.configureConnection(a.fd());
      } catch (LastErrorException e) {
        int errno = e.getErrorCode();
        relay(() -> LOG.warn("witness listener: cannot set up the connection from {}: {}", a.peer(),
            Errno.describe(errno)));
        TcpSockets.abort(a.fd());
        continue;
      }
      // Pending, not polled, until the acceptor has run on the relay and attached its handler.
      StreamConnection c = new StreamConnection(this, a.fd(), a.peer(), null, false, 0);
      c.pend();
      connections.put(a.fd(), c);
      relay(() -> {
        try {
          to.accept(c);
        } catch (RuntimeException e) {
          LOG.error("witness listener: the acceptor failed for {}", a.peer(), e);
        }
        submit(() -> adopt(c));
      });
    }
  }

  /** The acceptor has run: polls the connection from now on, or resets it when nobody took it. */
  private void adopt(StreamConnection c) {
    if (c.ended()) {
      return;
    }
    if (!c.hasHandler()) {
      c.abandon();
      return;
    }
    c.adopt();
    c.opened();
  }

  private int timeoutMillis() {
    long now = clock.nanoTime();
    long next = Long.MAX_VALUE;
    for (ProbeAttempt p : probes) {
      next = Math.min(next, p.nextTry());
    }
    for (StreamConnection c : connections.values()) {
      if (c.connecting()) {
        next = Math.min(next, c.connectDeadline());
      }
    }
    next = Math.min(next, early.nextDeadline());
    if (next == Long.MAX_VALUE) {
      return -1;
    }
    return (int) Math.max(0, Math.min(60_000, (next - now + 999_999) / 1_000_000));
  }

  private void expire() {
    long now = clock.nanoTime();
    for (ProbeAttempt p : List.copyOf(probes)) {
      if (!p.answered() && now - p.deadline() >= 0) {
        p.expire();
      } else if (!p.answered() && now - p.nextTry() >= 0) {
        p.start(now);
      }
    }
    probes.removeIf(ProbeAttempt::answered);
    early.expire(this, now);
    for (StreamConnection c : List.copyOf(connections.values())) {
      if (c.connecting() && now - c.connectDeadline() >= 0) {
        c.end(CloseReason.TIMED_OUT);
      }
    }
  }

  private void runCommands() {
    Runnable r;
    while ((r = commands.poll()) != null) {
      try {
        r.run();
      } catch (RuntimeException e) {
        relay(() -> LOG.error("witness transport: a command failed", e));
      }
    }
  }

  private void drainWake() {
    try {
      Libc.INSTANCE.read(wakeFd, wake, 8);
    } catch (LastErrorException e) {
      // EAGAIN: already drained
    }
  }

  private void shutDown() {
    runCommands();
    for (StreamConnection c : List.copyOf(connections.values())) {
      c.end(CloseReason.LOCAL);
    }
    for (ProbeAttempt p : List.copyOf(probes)) {
      p.expire();
    }
    probes.clear();
    if (listenFd >= 0) {
      TcpSockets.close(listenFd);
    }
    if (sharedBecause == null) {
      // this thread's own copy; the process's is closed by closeWake()
      TcpSockets.close(wakeFd);
    }
  }

  private static Memory room(Memory fds, int count) {
    return fds.size() >= (long) count * POLLFD ? fds : new Memory((long) count * 2 * POLLFD);
  }

  /** Sets entry {@code i} of the {@code struct pollfd} array {@code fds}; returns {@code i + 1}. */
  static int put(Memory fds, int i, int fd, short events) {
    fds.setInt((long) i * POLLFD, fd);
    fds.setShort((long) i * POLLFD + 4, events);
    fds.setShort((long) i * POLLFD + 6, (short) 0);
    return i + 1;
  }

  /** The events the kernel returned in entry {@code i} of {@code fds}. */
  static short revents(Memory fds, int i) {
    return fds.getShort((long) i * POLLFD + 6);
  }
}
