package io.ha4j.director;

import io.ha4j.core.time.SystemScheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.core.member.Member;
import io.ha4j.core.member.MemberBuilder;
import io.ha4j.core.member.MemberEvent;
import io.ha4j.core.reconcile.ReconcileOptions;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.api.table.TableOp;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.api.transport.WitnessTransport;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.witness.linux.LinuxWitnessTransport;
import io.ha4j.ipvs.Ipvs;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.linux.LinuxAddressKernel;
import io.ha4j.vip.linux.LinuxVip;
import io.ha4j.warmup.TakeOverWarmUp;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director daemon: {@code DirectorMain [--no-ipvs] [--no-warm-up] [--check] [--config-id ID] CONFIG}
 * ({@code --config-id}: which {@code @ID} lines count, keepalived's option; default the node name
 * up to its first dot). See the package
 * documentation for the configuration format and ha-director/README.md for operation.
 *
 * <p>Signals: SIGTERM (and SIGINT) hand over and stop; SIGHUP is logged and ignored (see {@link
 * HangUp}).
 *
 * <p>Exit codes: 0 after a graceful stop (SIGTERM) or a successful {@code --check}; 1 for a bad
 * configuration; 2 when this host cannot run the director (not root, no ip_vs, ...); 64 for bad
 * arguments.
 */
public final class DirectorMain {

  /** Longest wait of the shutdown hook for the hand-over (priority 0) and the VIP release. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);

  private DirectorMain() {}

  public static void main(String[] args) {
    // The examples' simplelogger.properties says WARN; the daemon's role changes and table ops
    // are its output, so it turns INFO on before the first logger exists (unless told otherwise).
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    // First, before there is a VIP to hand over: the JVM's SIGHUP would run the stop hook.
    HangUp.ignore(LoggerFactory.getLogger(DirectorMain.class));
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

  private static final String USAGE = "usage: director [--no-ipvs] [--no-warm-up] [--check] [--config-id ID] CONFIG-FILE";

  /** What {@link #run} returns once the director runs. */
  public static final int RUNNING = -1;

  /** Starts the director; returns {@link #RUNNING} once it runs, else the exit code. */
  static int run(String[] args, PrintStream err) {
    return run(args, err, null);
  }

  /**
   * Starts the director over {@code table} instead of the kernel's IPVS (an embedder's own table,
   * or a test's fake), with the arguments of {@link #main}; returns {@link #RUNNING} once it runs,
   * else the exit code. The caller keeps the JVM alive; SIGTERM hands over and stops as in {@link
   * #main}.
   */
  public static int run(String[] args, PrintStream err, @Nullable Supplier<LoadBalancerTable> table) {
    boolean noIpvs = false;
    boolean warmUp = true;
    boolean check = false;
    @Nullable String file = null;
    String configId = ConditionalLines.defaultConfigId();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--no-ipvs" -> noIpvs = true;
        case "--config-id", "-i" -> {
          if (i + 1 >= args.length || args[i + 1].isEmpty()) {
            err.println(USAGE);
            return 64;
          }
          configId = args[++i];
        }
        case "--no-warm-up" -> warmUp = false;
        case "--check" -> check = true;
        default -> {
          if (a.startsWith("--config-id=") && a.length() > "--config-id=".length()) {
            configId = a.substring("--config-id=".length());
            continue;
          }
          if (a.startsWith("-") || file != null) {
            err.println(USAGE);
            return 64;
          }
          file = a;
        }
      }
    }
    if (file == null) {
      err.println(USAGE);
      return 64;
    }
    DirectorConfig config;
    try {
      config = DirectorConfigParser.parse(Path.of(file), configId);
    } catch (ConfigException e) {
      err.println("director: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("director: cannot read " + file + ": " + e);
      return 1;
    }
    Logger log = LoggerFactory.getLogger(DirectorMain.class);
    config.warnings().forEach(w -> log.warn("{}", w));
    HeartbeatConfig hb = config.heartbeat();
    if (check) {
      err.println("director: " + file + " is valid: " + (hb == null ? "LVS-only (no vrrp_instance: no election, no VIP)"
          : "node " + hb.nodeId() + multicastOn(config)) + ", " + config.virtualAddresses().size()
          + " virtual addresses, " + config.virtualServers().size() + " virtual servers");
      return 0;
    }
    if (hb == null) {
      if (!noIpvs && table == null && !Ipvs.isAvailable()) {
        err.println("director: IPVS unavailable: " + Ipvs.unavailabilityCause() + " (--no-ipvs runs the checks only)");
        return 2;
      }
      try {
        LvsOnlyDirector.start(config, noIpvs, table == null ? IpvsClient::open : table, log);
        return RUNNING;
      } catch (RuntimeException e) {
        err.println("director: cannot start: " + e);
        return 2;
      }
    }
    if (!LinuxVip.isAvailable()) {
      err.println("director: cannot manage virtual addresses here: " + LinuxVip.unavailabilityCause());
      return 2;
    }
    if (!noIpvs && table == null && !Ipvs.isAvailable()) {
      err.println("director: IPVS unavailable: " + Ipvs.unavailabilityCause()
          + " (--no-ipvs runs the VIP and the election only)");
      return 2;
    }
    try {
      DirectorConfig.Multicast m = config.multicast();
      if (m != null && m.source() == null) {
        config = config.withSource(HeartbeatSocket.interfaceAddress(m), w -> log.warn("{}", w));
      }
      start(config, Objects.requireNonNull(config.heartbeat()), noIpvs, warmUp,
          table == null ? IpvsClient::open : table, log);
      return RUNNING;
    } catch (IOException | RuntimeException e) {
      err.println("director: cannot start: " + e);
      return 2;
    }
  }

  /** The health checks of every real server, registered on an engine that logs their changes. */
  static HealthEngine checks(DirectorConfig config, SystemScheduler scheduler, List<AutoCloseable> resources,
      Logger log) {
    HealthEngine health = new HealthEngine(scheduler);
    resources.add(health);
    health.addListener(c -> log.info("real server {}: {} -> {} ({})", c.target(), c.previous(), c.current(), c.detail()));
    for (VirtualServerConfig vs : config.virtualServers()) {
      for (RealServerCheck c : vs.checks()) {
        health.register(HealthEngine.targetId(vs.service().service().key(), c.endpoint()), c.check(), c.settings());
      }
    }
    return health;
  }

  private static void start(DirectorConfig config, HeartbeatConfig hb, boolean noIpvs, boolean warmUp,
      Supplier<LoadBalancerTable> table, Logger log) throws IOException {
    // Two threads: the election and its timers on one where nothing blocks, so that its adverts
    // keep time while the member waits for netlink (VIPs, IPVS: a reply may take seconds) and a
    // storm of health changes reconciles the table.
    SystemScheduler electionScheduler = new SystemScheduler("election");
    SystemScheduler scheduler = new SystemScheduler("member");
    List<AutoCloseable> resources = new ArrayList<>();
    resources.add(electionScheduler);
    resources.add(scheduler);
    InetSocketAddress bind = Objects.requireNonNull(config.heartbeatBind(), "an instance's heartbeat address");
    HeartbeatSocket socket = HeartbeatSocket.open(hb, bind, config.multicast(), electionScheduler);
    DatagramTransport heartbeat = socket.transport();
    InetSocketAddress heartbeatAddress = socket.localAddress();
    resources.add(heartbeat);
    WitnessTransport witness = witness(bind, hb, electionScheduler, log);
    VrrpElection election;
    if (witness != null) {
      resources.add(witness);
      election = new VrrpElection(hb, heartbeat, witness, electionScheduler);
    } else {
      election = new VrrpElection(hb, heartbeat, electionScheduler);
    }
    VipOwner vips = VipOwner.builder(LinuxAddressKernel.open(), scheduler)
        .manage(config.virtualAddresses().toArray(VirtualAddress[]::new))
        .watchInterfaces(config.trackedInterfaces().toArray(String[]::new))
        .build();
    resources.add(vips);
    vips.watch(new SplitBrainProbe(election));
    QuorumScripts scripts = new QuorumScripts(config.virtualServers(), log);
    MemberBuilder b = Member.builder(scheduler, election, vips)
        .virtualAddresses(config.virtualAddresses())
        // Logged by the next task: a take-over's events come between the VIP and its gratuitous
        // ARP, and the line should not hold the packet up.
        .listener(e -> scheduler.execute(() -> logEvent(log, e, scripts)));
    Duration refresh = config.announceRefresh();
    if (refresh != null) {
      b.announceRefresh(refresh);
    }
    // Checks run with or without IPVS, so that --no-ipvs still shows what the real servers do.
    HealthEngine health = checks(config, scheduler, resources, log);
    boolean alpha = config.virtualServers().stream().anyMatch(VirtualServerConfig::alpha);
    if (!noIpvs) {
      config.virtualServers().forEach(vs -> b.service(vs.service()));
      LoadBalancerTable ipvs = table.get();
      resources.add(ipvs);
      b.loadBalancer(ipvs, health).reconcileOptions(ReconcileOptions.DEFAULTS.withAlpha(alpha));
    } else {
      log.info("--no-ipvs: VIP and election only; the {} virtual servers are checked but not programmed",
          config.virtualServers().size());
    }
    Member member = b.build();
    if (warmUp) {
      // A standby takes over once, when every client waits for it: run that path ahead, on copies.
      TakeOverWarmUp.Result w = TakeOverWarmUp.of(hb).virtualAddresses(config.virtualAddresses()).run();
      log.debug("take-over warmed up: {} of {} rounds took over, native path {}, in {} ms", w.tookOver(), w.rounds(),
          w.nativePath() ? "warmed" : "unavailable", w.took().toMillis());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(member, scheduler, resources, log), "director-stop"));
    member.start();
    log.info("director {} started: heartbeat on {} ({}{}) to {}, VIPs {}", hb.nodeId(), heartbeatAddress,
        heartbeat.getClass().getSimpleName(), multicastOn(config),
        hb.destinations(), config.virtualAddresses());
  }

  private static String multicastOn(DirectorConfig config) {
    DirectorConfig.Multicast m = config.multicast();
    if (m == null) {
      return "";
    }
    return (m.source() == null ? " (named by " + m.interfaceName() + "'s address at start)" : "") + ", multicast to "
        + m.group().getAddress().getHostAddress() + " on " + m.interfaceName();
  }

  /**
   * The death witness's transport (issue 17): a backup hears within milliseconds that the
   * master's process died. Keyed with the signing heartbeat key (during a key rollover whose
   * members sign with different keys, witness connections do not open and the timer alone
   * decides); the listener takes only the unicast peers.
   */
  private static @Nullable WitnessTransport witness(InetSocketAddress bind, HeartbeatConfig hb, SystemScheduler scheduler,
      Logger log) throws IOException {
    if (!hb.witness()) {
      log.info("death witness off (ha4j_witness off): a dead master is noticed after the master-down interval");
      return null;
    }
    if (!LinuxWitnessTransport.isAvailable()) {
      log.warn("death witness unavailable ({}): a dead master is noticed after the master-down interval",
          LinuxWitnessTransport.unavailabilityCause());
      return null;
    }
    Set<InetAddress> peers = hb.unicastPeers();
    if (peers == null || peers.isEmpty()) {
      // It accepts connections only from the peers it knows; a multicast group names none.
      log.info("death witness off with a multicast heartbeat (it needs unicast_peer): a dead master is noticed after"
          + " the master-down interval");
      return null;
    }
    return LinuxWitnessTransport.open(new InetSocketAddress(bind.getAddress(), hb.witnessPort()),
        peers, LinuxWitnessTransport.tcpMd5Key(hb.keys().get(0)), scheduler.clock());
  }

  /** SIGTERM: hand over at once (priority 0), release the VIPs, then close everything. */
  private static void stop(Member member, SystemScheduler scheduler, List<AutoCloseable> resources, Logger log) {
    log.info("stopping: handing over and releasing the VIPs");
    member.stop();
    CountDownLatch done = new CountDownLatch(1);
    // The scheduler runs tasks in order: this one runs after the stop.
    scheduler.execute(done::countDown);
    try {
      if (!done.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("stop did not finish within {}", STOP_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close(resources, log);
  }

  /** Closes {@code resources}, the last opened first. */
  static void close(List<AutoCloseable> resources, Logger log) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn("closing {}: {}", resources.get(i), e.toString());
      }
    }
  }

  private static void logEvent(Logger log, MemberEvent e, QuorumScripts scripts) {
    if (e instanceof MemberEvent.RoleChanged r) {
      log.info("role {} -> {}: {}", r.change().from(), r.change().to(), r.change().reason());
    } else if (e instanceof MemberEvent.AddressAcquired a) {
      log.info("VIP {} acquired", a.address());
    } else if (e instanceof MemberEvent.AddressReleased a) {
      log.info("VIP {} released", a.address());
    } else if (e instanceof MemberEvent.TableReconciled t) {
      for (TableOp op : t.report().ops()) {
        log.info("table: {}", op.describe());
      }
      if (t.report().error() != null) {
        log.warn("table: {}", String.valueOf(t.report().error()));
      }
    } else if (e instanceof MemberEvent.QuorumChanged q) {
      log.info("quorum: {}", q.change());
      scripts.changed(q.change());
    } else if (e instanceof MemberEvent.Failure f) {
      log.warn("{} failed: {}", f.what(), f.error().toString());
    }
  }
}
