package io.ha4j.examples.demo.real;

import io.ha4j.api.Clock;
import io.ha4j.netlink.NetworkNamespace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A client that sends one HTTP GET to a target every {@code interval}, each on a fresh TCP
 * connection created inside a network namespace, and records when it started and ended, whether
 * it succeeded and what the page said (the real server's name). Runs on a thread of its own until
 * {@link #close()}; times come from {@link Clock#system()}, in milliseconds since the loop began.
 */
public final class ClientLoop implements AutoCloseable {

  /** One request: {@code answer} is the page's first line on success, else the error. */
  public record Attempt(long startMs, long endMs, boolean ok, String answer) {
    public Attempt {
      Objects.requireNonNull(answer, "answer");
    }
  }

  /**
   * The client's view of an outage after {@code fromMs}: the longest time between two successive
   * answers, the failed requests, all requests, and when answers resumed after the last failure.
   */
  public record Outage(long gapMs, int failed, int total, long resumedAtMs) {}

  private final String netnsPath;
  private final InetSocketAddress target;
  private final Duration interval;
  private final int timeoutMs;
  private final Clock clock = Clock.system();
  private final long origin = clock.nanoTime();
  private final List<Attempt> attempts = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile @Nullable Thread worker;

  /**
   * Starts the loop.
   *
   * @param netns the client's namespace (a name under /run/netns)
   * @param timeout for the connection and for each read
   */
  public ClientLoop(String netns, InetSocketAddress target, Duration interval, Duration timeout) {
    this.netnsPath = NetworkNamespace.path(netns);
    this.target = Objects.requireNonNull(target, "target");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.timeoutMs = Math.toIntExact(timeout.toMillis());
    // The whole loop runs on one thread inside the client's namespace: a socket belongs to the
    // namespace of the thread that made it, so every request's socket is the client's.
    this.thread = new Thread(() -> NetworkNamespace.call(netnsPath, () -> {
      loop();
      return Boolean.TRUE;
    }), "client-loop");
    thread.setDaemon(true);
    thread.start();
  }

  /** Milliseconds since the loop began, on the attempts' time line. */
  public long nowMs() {
    return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - origin);
  }

  /** The attempts so far, oldest first. */
  public synchronized List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  /** Successful answers that ended at or after {@code fromMs} and said {@code answer}. */
  public long answersFrom(long fromMs, String answer) {
    return attempts().stream().filter(a -> a.ok() && a.endMs() >= fromMs && a.answer().equals(answer)).count();
  }

  /** Successful answers that ended at or after {@code fromMs}. */
  public long successesFrom(long fromMs) {
    return attempts().stream().filter(a -> a.ok() && a.endMs() >= fromMs).count();
  }

  /** What the client saw from {@code fromMs} on (see {@link Outage}). */
  public Outage outageAfter(long fromMs) {
    return outage(attempts(), fromMs);
  }

  static Outage outage(List<Attempt> all, long fromMs) {
    List<Attempt> after = all.stream().filter(a -> a.endMs() >= fromMs).toList();
    long previousOk = -1;
    for (Attempt a : all) {
      if (a.endMs() < fromMs && a.ok()) {
        previousOk = a.endMs();
      }
    }
    long gap = 0;
    int failed = 0;
    int lastFailure = -1;
    for (int i = 0; i < after.size(); i++) {
      Attempt a = after.get(i);
      if (!a.ok()) {
        failed++;
        lastFailure = i;
      } else {
        if (previousOk >= 0) {
          gap = Math.max(gap, a.endMs() - previousOk);
        }
        previousOk = a.endMs();
      }
    }
    long resumed = -1;
    for (int i = lastFailure + 1; i < after.size() && resumed < 0; i++) {
      if (after.get(i).ok()) {
        resumed = after.get(i).endMs();
      }
    }
    return new Outage(gap, failed, after.size(), resumed);
  }

  /**
   * The attempts that ended within {@code [fromMs, toMs]} as runs of successes and failures, one
   * line each: start and end time, count, and the servers that answered or the errors.
   */
  public List<String> runs(long fromMs, long toMs) {
    List<String> lines = new ArrayList<>();
    List<Attempt> window = attempts().stream().filter(a -> a.endMs() >= fromMs && a.endMs() <= toMs).toList();
    int i = 0;
    while (i < window.size()) {
      int j = i;
      boolean ok = window.get(i).ok();
      TreeMap<String, Integer> answers = new TreeMap<>();
      while (j < window.size() && window.get(j).ok() == ok) {
        String key = ok ? window.get(j).answer() : window.get(j).answer().replaceAll(":.*", "");
        answers.merge(key, 1, Integer::sum);
        j++;
      }
      lines.add(String.format(Locale.ROOT, "%7d..%7d ms  %3d %s  %s", window.get(i).startMs(),
          window.get(j - 1).endMs(), j - i, ok ? "ok  " : "FAIL", answers));
      i = j;
    }
    return lines;
  }

  private void loop() {
    worker = Thread.currentThread();
    long next = clock.nanoTime();
    while (running) {
      long start = nowMs();
      Attempt a;
      try {
        a = new Attempt(start, nowMs(), true, get());
      } catch (IOException e) {
        a = new Attempt(start, nowMs(), false, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      synchronized (this) {
        attempts.add(a);
      }
      next += interval.toNanos();
      long wait = next - clock.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else {
        next = clock.nanoTime(); // behind (a timeout): no burst to catch up
      }
    }
  }

  /** One GET / on a new connection from the client's namespace; the page's first line. */
  private String get() throws IOException {
    try (Socket s = new Socket()) {
      s.connect(target, timeoutMs);
      s.setSoTimeout(timeoutMs);
      OutputStream out = s.getOutputStream();
      out.write(("GET / HTTP/1.0\r\nHost: " + target.getHostString() + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      String reply = b.toString(StandardCharsets.UTF_8);
      if (!reply.startsWith("HTTP/1.") || !reply.contains(" 200 ")) {
        throw new IOException("not 200: " + reply.lines().findFirst().orElse("(empty reply)"));
      }
      int body = reply.indexOf("\r\n\r\n");
      return body < 0 ? "" : reply.substring(body + 4).strip().lines().findFirst().orElse("");
    }
  }

  /** Stops the loop after the request in flight. */
  @Override
  public void close() {
    running = false;
    Thread w = worker;
    if (w != null) {
      LockSupport.unpark(w);
    }
    try {
      thread.join(timeoutMs * 3L + 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
