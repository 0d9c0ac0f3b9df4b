package io.ha4j.it.vip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * {@code ip -n NS monitor OBJECT} in the background, each line stamped with System.nanoTime() when
 * it arrives: kernel notifications timed without the cost of starting a process per poll.
 */
public final class IpMonitor implements AutoCloseable {

  /** A line and when it arrived. */
  public record Line(long nanos, String text) {}

  private final Process process;
  private final List<Line> lines = new CopyOnWriteArrayList<>();

  /** Starts {@code ip -n namespace monitor object}. */
  public IpMonitor(String namespace, String object) throws IOException {
    process = new ProcessBuilder("ip", "-n", namespace, "monitor", object).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          lines.add(new Line(System.nanoTime(), l));
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "ip-monitor-" + namespace);
    reader.setDaemon(true);
    reader.start();
  }

  /** The arrival time of the first line after {@code sinceNanos} matching {@code p}; fails after 3 s. */
  public long await(long sinceNanos, Predicate<String> p, String what) {
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (Line l : lines) {
        if (l.nanos() >= sinceNanos && p.test(l.text())) {
          return l.nanos();
        }
      }
      LockSupport.parkNanos(500_000); // not a spin: this machine has two cores
    }
    throw new AssertionError("no '" + what + "' from ip monitor within 3 s; saw " + lines);
  }

  /** Fails if a line matching {@code p} arrives within {@code millis} after {@code sinceNanos}. */
  void assertNone(long sinceNanos, Predicate<String> p, long millis, String what) {
    long end = sinceNanos + millis * 1_000_000;
    while (System.nanoTime() < end) {
      LockSupport.parkNanos(500_000); // not a spin: this machine has two cores
    }
    for (Line l : lines) {
      if (l.nanos() >= sinceNanos && l.nanos() <= end && p.test(l.text())) {
        throw new AssertionError("unexpected '" + what + "' " + (l.nanos() - sinceNanos) / 1_000_000 + " ms in: " + l.text());
      }
    }
  }

  /** Whether a line containing {@code text} arrived after {@code sinceNanos}. */
  boolean seen(long sinceNanos, String text) {
    return lines.stream().anyMatch(l -> l.nanos() >= sinceNanos && l.text().contains(text));
  }

  @Override
  public void close() {
    process.destroy();
  }
}
