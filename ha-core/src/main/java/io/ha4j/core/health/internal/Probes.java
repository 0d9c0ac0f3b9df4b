package io.ha4j.core.health.internal;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import io.ha4j.core.health.HttpCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The I/O an engine's built-in checks share, started on first use: two selector threads for TCP
 * and UDP, two HTTP clients, and two worker threads (HTTP client callbacks and process launches).
 */
public final class Probes implements AutoCloseable {

  private static final int WORKERS = 2;
  // Connects and closes are system calls, most of a TCP check's cost: two selector threads use
  // both cores of a small director and halve the queueing when one is descheduled.
  private static final int LOOPS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

  private final String name;
  private final Object lock = new Object();
  private final ChannelLoop[] loops = new ChannelLoop[LOOPS];
  private final java.util.concurrent.atomic.AtomicInteger nextLoop = new java.util.concurrent.atomic.AtomicInteger();
  private @Nullable HttpProbe http;
  private @Nullable ExecutorService workers;
  private boolean closed;

  /** I/O whose threads are named after {@code name}. */
  public Probes(String name) {
    this.name = name;
  }

  /** The probes of the engine that made {@code context}. */
  public static Probes of(CheckContext context) {
    if (context instanceof Attempt a) {
      return a.probes();
    }
    throw new IllegalArgumentException(
        "built-in checks run only inside a HealthEngine, context was " + context.getClass().getName());
  }

  public CompletableFuture<CheckResult> connect(InetSocketAddress address) {
    return loop().connect(address);
  }

  public CompletableFuture<CheckResult> datagram(InetSocketAddress address, byte[] payload, byte @Nullable [] expected) {
    return loop().exchange(address, payload, expected);
  }

  public CompletableFuture<CheckResult> http(HttpCheck check, Duration timeout) {
    return http().get(check, timeout);
  }

  public CompletableFuture<CheckResult> command(List<String> command) {
    return ProcessProbe.run(command, workers());
  }

  private ChannelLoop loop() {
    int i = Math.floorMod(nextLoop.getAndIncrement(), LOOPS);
    synchronized (lock) {
      ensureOpen();
      ChannelLoop l = loops[i];
      if (l == null) {
        try {
          l = new ChannelLoop(name + "-io-" + (i + 1));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot open a selector for health checks", e);
        }
        loops[i] = l;
      }
      return l;
    }
  }

  private HttpProbe http() {
    synchronized (lock) {
      ensureOpen();
      HttpProbe h = http;
      if (h == null) {
        h = new HttpProbe(workers());
        http = h;
      }
      return h;
    }
  }

  private ExecutorService workers() {
    synchronized (lock) {
      ensureOpen();
      ExecutorService w = workers;
      if (w == null) {
        var n = new AtomicInteger();
        w = Executors.newFixedThreadPool(WORKERS, r -> {
          Thread t = new Thread(r, name + "-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
        workers = w;
      }
      return w;
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("health engine is closed");
    }
  }

  /** Closes every channel and stops the threads; the HTTP clients go with their executor. */
  @Override
  public void close() {
    ChannelLoop[] l;
    ExecutorService w;
    synchronized (lock) {
      closed = true;
      l = loops.clone();
      java.util.Arrays.fill(loops, null);
      w = workers;
      http = null;
      workers = null;
    }
    for (ChannelLoop loop : l) {
      if (loop != null) {
        loop.close();
      }
    }
    if (w != null) {
      w.shutdownNow();
    }
  }
}
