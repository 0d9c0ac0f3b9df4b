package io.ha4j.api.health.internal;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.HttpCheck;
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
 * The I/O an engine's built-in checks share, started on first use: a selector thread for TCP and
 * UDP, two HTTP clients, and two worker threads (HTTP client callbacks and process launches).
 */
public final class Probes implements AutoCloseable {

  private static final int WORKERS = 2;

  private final String name;
  private final Object lock = new Object();
  private @Nullable ChannelLoop loop;
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
    synchronized (lock) {
      ensureOpen();
      ChannelLoop l = loop;
      if (l == null) {
        try {
          l = new ChannelLoop(name + "-io");
        } catch (IOException e) {
          throw new UncheckedIOException("cannot open a selector for health checks", e);
        }
        loop = l;
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
    ChannelLoop l;
    ExecutorService w;
    synchronized (lock) {
      closed = true;
      l = loop;
      w = workers;
      loop = null;
      http = null;
      workers = null;
    }
    if (l != null) {
      l.close();
    }
    if (w != null) {
      w.shutdownNow();
    }
  }
}
