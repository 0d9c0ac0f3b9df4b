package io.ha4j.examples.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ha4j.core.time.SystemScheduler;
import io.ha4j.core.member.Member;
import io.ha4j.core.member.MemberEvent;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.udp.UdpTransport;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.linux.LinuxAddressKernel;
import io.ha4j.vip.linux.LinuxVip;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP service whose master instance owns the VIP: {@code EmbeddedApp --node-id ID --priority P
 * --bind ADDR --peer ADDR [--peer ADDR] --vip ADDR/LEN --dev IF --http-port PORT --key SECRET}
 * (see {@link AppOptions#USAGE} for the optional ones).
 *
 * <p>Exit codes: 0 after a graceful stop (SIGTERM: the member advertises priority 0 so that a
 * backup takes over at once, and releases the VIP); 2 when this host cannot run it (VIPs cannot be
 * managed, a port is taken); 64 for bad arguments.
 */
public final class EmbeddedApp {

  /** Longest wait of the shutdown hook for the hand-over (priority 0) and the VIP release. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);

  /** What {@link #run} returns once the service runs. */
  static final int RUNNING = -1;

  private EmbeddedApp() {}

  /** Not a static field: main sets the log level before SLF4J initialises. */
  private static Logger log() {
    return LoggerFactory.getLogger(EmbeddedApp.class);
  }

  public static void main(String[] args) {
    // Role changes and VIP moves are this example's story: INFO unless told otherwise, set before
    // the first logger exists.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    int code = run(args, System.err);
    if (code != RUNNING) {
      System.exit(code);
    }
    // The library's threads are daemons: main keeps the JVM up until SIGTERM runs the stop hook.
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the service; returns {@link #RUNNING} once it serves, else the exit code. */
  static int run(String[] args, PrintStream err) {
    AppOptions options;
    try {
      options = AppOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("embedded-app: " + e.getMessage());
      err.println(AppOptions.USAGE);
      return 64;
    }
    if (!LinuxVip.isAvailable()) {
      err.println("embedded-app: cannot manage virtual addresses here: " + LinuxVip.unavailabilityCause());
      return 2;
    }
    try {
      start(options);
      return RUNNING;
    } catch (IOException | RuntimeException e) {
      err.println("embedded-app: cannot start: " + e);
      return 2;
    }
  }

  private static void start(AppOptions options) throws IOException {
    List<AutoCloseable> resources = new ArrayList<>();
    SystemScheduler scheduler = new SystemScheduler("embedded-app");
    resources.add(scheduler);
    try {
      // The HTTP port first: if it is taken, nothing has joined the election yet.
      HttpServer http = HttpServer.create(new InetSocketAddress(options.httpPort()), 64);
      ExecutorService httpThreads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "embedded-app-http");
        t.setDaemon(true);
        return t;
      });
      http.setExecutor(httpThreads);
      resources.add(() -> {
        http.stop(0);
        httpThreads.shutdownNow();
      });
      UdpTransport heartbeat = UdpTransport.unicast(options.bind(), scheduler);
      resources.add(heartbeat);
      VrrpElection election = new VrrpElection(HeartbeatConfig.builder()
          .groupId(options.groupId())
          .nodeId(options.nodeId())
          .priority(options.priority())
          .advertisementInterval(options.advertisementInterval())
          .key(1, options.key().getBytes(StandardCharsets.UTF_8))
          .destinations(options.peers())
          .virtualAddress(options.vip())
          .build(), heartbeat, scheduler);
      VipOwner vips = VipOwner.builder(LinuxAddressKernel.open(), scheduler).manage(options.vip()).build();
      resources.add(vips);
      // No loadBalancer(...): this member only moves the VIP to the instance that serves it.
      Member member = Member.builder(scheduler, election, vips)
          .virtualAddresses(List.of(options.vip()))
          .listener(EmbeddedApp::logEvent)
          .build();
      Supplier<AppStatus> status = () -> new AppStatus(options.nodeId(), election.role(),
          election.effectivePriority(), List.copyOf(vips.owned()), member.availability());
      http.createContext("/", exchange -> answer(exchange, "text/plain", () -> status.get().greeting()));
      http.createContext("/ha", exchange -> answer(exchange, "application/json", () -> status.get().json()));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(member, scheduler, resources), "embedded-app-stop"));
      member.start();
      http.start();
      log().info("{} serving HTTP on port {}; heartbeat on {} to {}, VIP {}", options.nodeId(), options.httpPort(),
          heartbeat.localAddress(), options.peers(), options.vip());
    } catch (IOException | RuntimeException e) {
      close(resources);
      throw e;
    }
  }

  private static void answer(HttpExchange exchange, String type, Supplier<String> body) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      boolean known = path.equals("/") || path.equals("/ha");
      if (!known || !exchange.getRequestMethod().equals("GET")) {
        byte[] text = (known ? "only GET\n" : "not found\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(known ? 405 : 404, text.length);
        exchange.getResponseBody().write(text);
        return;
      }
      byte[] text = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
      exchange.sendResponseHeaders(200, text.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(text);
      }
    }
  }

  /** SIGTERM: hand over at once (priority 0), release the VIP, then close everything. */
  private static void stop(Member member, SystemScheduler scheduler, List<AutoCloseable> resources) {
    log().info("stopping: handing over and releasing the VIP");
    member.stop();
    CountDownLatch done = new CountDownLatch(1);
    // The scheduler runs tasks in order: this one runs after the stop.
    scheduler.execute(done::countDown);
    try {
      if (!done.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log().warn("stop did not finish within {}", STOP_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close(resources);
  }

  private static void close(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log().warn("closing {}: {}", resources.get(i), e.toString());
      }
    }
  }

  private static void logEvent(MemberEvent e) {
    // The member and the election log the role changes themselves.
    if (e instanceof MemberEvent.AddressAcquired a) {
      log().info("VIP {} acquired", a.address());
    } else if (e instanceof MemberEvent.AddressReleased a) {
      log().info("VIP {} released", a.address());
    } else if (e instanceof MemberEvent.Failure f) {
      log().warn("{} failed: {}", f.what(), f.error().toString());
    }
  }
}
