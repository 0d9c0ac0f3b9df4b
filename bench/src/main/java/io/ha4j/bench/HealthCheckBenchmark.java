package io.ha4j.bench;

import com.sun.management.OperatingSystemMXBean;
import io.ha4j.api.Clock;
import io.ha4j.core.time.SystemScheduler;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.api.health.HealthState;
import io.ha4j.core.health.TcpCheck;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many TCP health checks a second the engine sustains on loopback, and how late it starts them.
 *
 * <p>{@code serve FILE [ADDRESSES]} runs the real servers: one NIO accept loop over a listener on
 * each of 127.0.0.1 .. 127.0.0.N, writing their addresses to FILE. {@code run FILE [TARGETS]
 * [SECONDS] [INTERVAL_MS]} registers TARGETS TCP checks spread over those listeners, lets them run,
 * and prints checks per second, scheduling lateness (actual start of a round minus its planned
 * start, on the scheduler's clock), process CPU time and heap. Run both through {@code
 * bench/health-checks.sh}, which keeps the servers in their own process so that the CPU figure is
 * the engine's.
 */
public final class HealthCheckBenchmark {

  private HealthCheckBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("serve")) {
      serve(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 4);
    } else if (args.length >= 2 && args[0].equals("run")) {
      run(Path.of(args[1]),
          args.length > 2 ? Integer.parseInt(args[2]) : 10_000,
          args.length > 3 ? Integer.parseInt(args[3]) : 30,
          args.length > 4 ? Integer.parseInt(args[4]) : 1000,
          args.length > 5 && args[5].equals("noop"));
    } else {
      System.err.println("usage: HealthCheckBenchmark serve FILE [ADDRESSES] | run FILE [TARGETS] [SECONDS] [INTERVAL_MS] [tcp|noop]");
      System.exit(2);
    }
  }

  /** Accepts and closes every connection, on one thread, until killed. */
  static void serve(Path file, int addresses) throws IOException {
    Selector selector = Selector.open();
    List<String> bound = new ArrayList<>();
    for (int i = 1; i <= addresses; i++) {
      var ch = ServerSocketChannel.open();
      ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + i), 0), 4096);
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_ACCEPT);
      var a = (InetSocketAddress) ch.getLocalAddress();
      bound.add(a.getAddress().getHostAddress() + ":" + a.getPort());
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bound, StandardCharsets.US_ASCII);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.out.println("serving on " + bound);
    while (true) {
      selector.select();
      for (SelectionKey key : selector.selectedKeys()) {
        SocketChannel c;
        while ((c = ((ServerSocketChannel) key.channel()).accept()) != null) {
          // An orderly close (FIN), not a reset: a reset could reach the checker before it has
          // seen its connect complete, and the checker's own reset then clears the socket
          // without TIME_WAIT on either side.
          c.close();
        }
      }
      selector.selectedKeys().clear();
    }
  }

  /**
   * With {@code noop}, checks answer at once without I/O: the lateness then shows what the
   * scheduler and the machine's load alone cost, as a baseline for the TCP figures.
   */
  static void run(Path file, int targets, int seconds, int intervalMs, boolean noop) throws Exception {
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      int colon = line.lastIndexOf(':');
      servers.add(new InetSocketAddress(InetAddress.getByName(line.substring(0, colon)), Integer.parseInt(line.substring(colon + 1))));
    }
    Duration interval = Duration.ofMillis(intervalMs);
    Duration warmup = interval.multipliedBy(3);
    try (var scheduler = new SystemScheduler("bench-scheduler");
        var engine = new HealthEngine(scheduler, new Random(1))) {
      Clock clock = scheduler.clock();
      var recorder = new Recorder(clock, clock.nanoTime() + warmup.toNanos(), targets * (long) seconds * 1000 / intervalMs + targets);
      var settings = CheckSettings.of(interval, Duration.ofSeconds(5));
      for (int i = 0; i < targets; i++) {
        var check = new TcpCheck(servers.get(i % servers.size()));
        HealthCheck wrapped = recorder.wrap(noop ? ctx -> java.util.concurrent.CompletableFuture.completedFuture(CheckResult.up("noop")) : check);
        engine.register("rs-" + i, wrapped, settings);
      }
      System.out.printf(Locale.ROOT, "%d %s targets over %d listeners, interval %s, warm-up %s, measuring %d s%n",
          targets, noop ? "no-op (no I/O)" : "TCP", servers.size(), interval, warmup, seconds);
      var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      new CountDownLatch(1).await(warmup.toMillis(), TimeUnit.MILLISECONDS);
      long cpu0 = os.getProcessCpuTime();
      var threadCpu0 = threadCpu();
      long gc0 = gcMillis();
      long t0 = clock.nanoTime();
      long done0 = recorder.completed.get();
      new CountDownLatch(1).await(seconds * 1000L, TimeUnit.MILLISECONDS);
      long t1 = clock.nanoTime();
      long done1 = recorder.completed.get();
      long cpu1 = os.getProcessCpuTime();
      var threadCpu1 = threadCpu();
      long gc1 = gcMillis();
      double wall = (t1 - t0) / 1e9;
      long up = engine.targets().stream().filter(id -> engine.state(id) == HealthState.UP).count();
      var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      long[] lateness = recorder.lateness();
      System.out.printf(Locale.ROOT, "checks completed: %d in %.1f s = %.0f checks/s (failed: %d)%n",
          done1 - done0, wall, (done1 - done0) / wall, recorder.failed.get());
      System.out.printf(Locale.ROOT, "checks measured that took over 100 ms from start to answer: %d; longest %.1f ms%n",
          recorder.slow.get(), recorder.maxDuration.get() / 1e6);
      System.out.printf(Locale.ROOT, "targets UP at the end: %d of %d%n", up, targets);
      System.out.printf(Locale.ROOT, "scheduling lateness over %d rounds: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
          lateness.length, pct(lateness, 50), pct(lateness, 99), pct(lateness, 99.9),
          lateness.length == 0 ? 0 : lateness[lateness.length - 1] / 1e6);
      System.out.printf(Locale.ROOT, "process CPU: %.1f s in %.1f s wall = %.0f%% of one core; GC %d ms%n",
          (cpu1 - cpu0) / 1e9, wall, 100.0 * (cpu1 - cpu0) / 1e9 / wall, gc1 - gc0);
      var perThread = new StringBuilder();
      threadCpu1.forEach((name, ns) -> {
        long d = ns - threadCpu0.getOrDefault(name, 0L);
        if (d > 100_000_000L) {
          perThread.append(String.format(Locale.ROOT, " %s %.1f s (%.1f us/check);", name, d / 1e9, d / 1e3 / Math.max(1, done1 - done0)));
        }
      });
      System.out.println("busiest threads:" + perThread);
      System.out.printf(Locale.ROOT, "load average at the end: %.2f on %d CPUs%n", os.getSystemLoadAverage(), os.getAvailableProcessors());
      System.out.printf(Locale.ROOT, "heap used %.1f MiB (committed %.1f MiB); live threads %d%n",
          heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0, ManagementFactory.getThreadMXBean().getThreadCount());
    }
  }

  private static java.util.Map<String, Long> threadCpu() {
    var mx = ManagementFactory.getThreadMXBean();
    var out = new java.util.TreeMap<String, Long>();
    for (long id : mx.getAllThreadIds()) {
      var info = mx.getThreadInfo(id);
      long ns = mx.getThreadCpuTime(id);
      if (info != null && ns > 0) {
        out.merge(info.getThreadName(), ns, Long::sum);
      }
    }
    return out;
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  /**
   * Records each round's lateness and counts results. Checks start on the engine's scheduler
   * thread only, so the lateness array needs no lock; results arrive there too.
   */
  static final class Recorder {
    private final Clock clock;
    private final long measureFrom;
    private long[] samples;
    private int count;
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong slow = new AtomicLong();
    final AtomicLong maxDuration = new AtomicLong();

    Recorder(Clock clock, long measureFrom, long expected) {
      this.clock = clock;
      this.measureFrom = measureFrom;
      this.samples = new long[(int) Math.min(Integer.MAX_VALUE - 8, expected)];
    }

    HealthCheck wrap(HealthCheck check) {
      return ctx -> {
        long now = clock.nanoTime();
        if (ctx.attempt() == 0 && now >= measureFrom) {
          synchronized (this) {
            if (count == samples.length) {
              samples = Arrays.copyOf(samples, samples.length * 2);
            }
            samples[count++] = now - ctx.plannedStartNanos();
          }
        }
        return check.run(ctx).whenComplete((CheckResult r, Throwable e) -> {
          completed.incrementAndGet();
          long took = clock.nanoTime() - now;
          if (now >= measureFrom) {
            if (took > 100_000_000L) {
              slow.incrementAndGet();
            }
            maxDuration.accumulateAndGet(took, Math::max);
          }
          if (e != null || r == null || !r.up()) {
            if (failed.incrementAndGet() <= 3) {
              System.out.println("failed check: " + (r != null ? r.detail() : String.valueOf(e)));
            }
          }
        });
      };
    }

    synchronized long[] lateness() {
      long[] s = Arrays.copyOf(samples, count);
      Arrays.sort(s);
      return s;
    }
  }
}
