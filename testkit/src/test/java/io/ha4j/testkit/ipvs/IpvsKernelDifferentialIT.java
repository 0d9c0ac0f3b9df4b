package io.ha4j.testkit.ipvs;

import io.ha4j.testkit.vm.IpvsNamespace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsException;
import io.ha4j.ipvs.SyncDaemon;
import io.ha4j.testkit.vm.KernelTest;
import java.time.Duration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential test that makes the fake trustworthy: the same op sequences (from the model
 * test's kind, see {@link #sequence(long)}) go to the real ip_vs of the kernel VM
 * and to {@link FakeIpvsKernel}; both must answer every op with the same errno and end with the
 * same table, real servers in the same order. A fixed list of seeds plus a few random ones per run
 * (the VM is slow); a failure names its seed, which {@link #sequence(long)} replays. Differences
 * found here are bugs of the fake: fix it and keep the sequence as a fake-only regression case.
 */
@KernelTest
class IpvsKernelDifferentialIT {

  private static final int MAX_OPS = 60;
  private static final int RANDOM_SEEDS = 12;

  private static IpvsNamespace ns;
  private static IpvsClient kernel;

  @BeforeAll
  static void open() {
    ns = new IpvsNamespace("diff");
    ns.sh("ip link add sync0 type dummy && ip link set sync0 multicast on up");
    kernel = ns.client();
  }

  /** Errnos the kernel answered and services it held, over the whole run. */
  private static final Set<Integer> ERRNOS_SEEN = new TreeSet<>();
  private static int servicesSeen;

  @AfterAll
  static void close() {
    // a run where nothing failed or nothing was built would compare nothing
    if (servicesSeen > 0 || !ERRNOS_SEEN.isEmpty()) {
      assertTrue(ERRNOS_SEEN.containsAll(Set.of(2, 3, 17, 22, 34)), () -> "errnos seen: " + ERRNOS_SEEN);
      assertTrue(servicesSeen >= 10, () -> "services in the final tables: " + servicesSeen);
    }
    if (kernel != null) {
      kernel.close();
    }
    if (ns != null) {
      ns.close();
    }
  }

  static Stream<Long> seeds() {
    Stream<Long> fixed = LongStream.rangeClosed(1, 24).boxed();
    Stream<Long> random = ThreadLocalRandom.current().longs(RANDOM_SEEDS).boxed();
    return Stream.concat(fixed, random);
  }

  /** The model test's services plus an SCTP and an IPv6 firewall-mark service. */
  static final List<ServiceKey> KEYS = new ArrayList<>(IpvsTableProperties.KEYS);

  static {
    try {
      KEYS.add(ServiceKey.of(Protocol.SCTP, InetAddress.getByName("198.51.100.3"), 9));
      KEYS.add(ServiceKey.fwmark(9, AddressFamily.INET6));
    } catch (UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The op sequence of {@code seed}, the same on every machine and run: 1..60 ops over a few
   * services and endpoints, so that they collide, with values wider than the model test's (which
   * only generates what its model knows): mixed address families, every tunnel type and checksum
   * mode, tunnel settings on non-tunnel servers, service flags, persistence engines, the
   * {@code none} scheduler, IPv6 netmask 0. (Drawn from a plain {@link Random}: jqwik's generators
   * only run inside a jqwik property, and kernel tests run on the Jupiter engine.)
   */
  static List<TableOp> sequence(long seed) {
    Random random = new Random(seed);
    int n = 1 + random.nextInt(MAX_OPS);
    List<TableOp> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ops.add(op(random));
    }
    return ops;
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... values) {
    return values[random.nextInt(values.length)];
  }

  private static TableOp op(Random random) {
    ServiceKey key = KEYS.get(random.nextInt(KEYS.size()));
    return switch (random.nextInt(7)) {
      case 0 -> new TableOp.AddService(service(random, key));
      case 1 -> new TableOp.UpdateService(service(random, key));
      case 2 -> new TableOp.DeleteService(key);
      case 3, 4 -> new TableOp.AddRealServer(key, realServer(random, key));
      case 5 -> new TableOp.UpdateRealServer(key, realServer(random, key));
      default -> new TableOp.DeleteRealServer(key, endpoint(random, key));
    };
  }

  private static VirtualService service(Random random, ServiceKey key) {
    Integer mask = key.family() == AddressFamily.INET ? pick(random, 32, 24, 0) : pick(random, 128, 64, 64, 0);
    Set<ServiceFlag> flags = EnumSet.noneOf(ServiceFlag.class);
    for (ServiceFlag f : ServiceFlag.values()) {
      if (random.nextInt(4) == 0) {
        flags.add(f);
      }
    }
    return new VirtualService(key, pick(random, "rr", "wlc", "sh", "mh", "none", "nosuch"), flags,
        pick(random, 0, 300, 300), mask, pick(random, null, null, null, "sip", "nope"));
  }

  private static RealServer.Endpoint endpoint(Random random, ServiceKey key) {
    AddressFamily family = random.nextInt(6) == 0
        ? (key.family() == AddressFamily.INET ? AddressFamily.INET6 : AddressFamily.INET) : key.family();
    List<RealServer.Endpoint> endpoints = IpvsTableProperties.ENDPOINTS.get(family);
    return endpoints.get(random.nextInt(endpoints.size()));
  }

  private static RealServer realServer(Random random, ServiceKey key) {
    RealServer.Endpoint ep = endpoint(random, key);
    ForwardingMethod fwd = pick(random, ForwardingMethod.values());
    boolean tunnelSettings = fwd == ForwardingMethod.TUN || random.nextInt(5) == 0;
    return new RealServer(ep.address(), ep.port(), pick(random, 0, 1, 7, 65535), fwd,
        pick(random, 0, 5, 10, 100000), pick(random, 0, 5, 10), tunnelSettings ? pick(random, TunnelType.values()) : TunnelType.IPIP,
        tunnelSettings ? pick(random, 0, 6080) : 0, tunnelSettings ? pick(random, 0, 1, 2, 3) : 0);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void fakeAnswersAsTheKernelDoes(long seed) {
    Outcome o = compare(seed);
    ERRNOS_SEEN.addAll(o.errnos());
    ERRNOS_SEEN.remove(0);
    servicesSeen += o.services();
  }

  /**
   * Seen in CI: two ops that both fail, so the MASTER daemon is stopped a few milliseconds after
   * it was started, before its kernel thread had run; the kernel then answers nothing to the stop
   * (see {@link IpvsClient#stopDaemon}), and the client waited for an answer until it timed out.
   */
  @Test
  void seedWhoseDaemonStopsRightAfterItsStart() {
    compare(7934743821970933248L);
  }

  /**
   * That seed's race on purpose: under emulation about a third of these stops came before the
   * daemon's thread ran (8 of 20 in the run that found it), each a 5 s timeout before the fix.
   */
  @Test
  void daemonStoppedRightAfterItsStartIsStopped() {
    kernel.flush();
    for (int i = 0; i < 20; i++) {
      kernel.startDaemon(SyncDaemon.of(SyncDaemon.State.MASTER, "sync0", 1));
      kernel.stopDaemon(SyncDaemon.State.MASTER);
    }
    assertEquals(List.of(), kernel.daemons());
  }

  /** The kernel's errno per op and the number of services it ended with. */
  record Outcome(List<Integer> errnos, int services) {}

  private static Outcome compare(long seed) {
    List<TableOp> ops = sequence(seed);
    // every third sequence runs beside a sync daemon, which refuses mixed-family real servers
    boolean daemon = Math.floorMod(seed, 3) == 0;
    kernel.flush();
    try (IpvsClient fake = new IpvsClient(new FakeIpvsKernel(), () -> 0L, Duration.ofSeconds(1))) {
      if (daemon) {
        kernel.startDaemon(SyncDaemon.of(SyncDaemon.State.MASTER, "sync0", 1));
        fake.startDaemon(SyncDaemon.of(SyncDaemon.State.MASTER, "sync0", 1));
      }
      List<Integer> real = errnos(kernel.apply(ops), ops.size());
      List<Integer> faked = errnos(fake.apply(ops), ops.size());
      assertEquals(real, faked, () -> "errno per op, seed " + seed + ": " + ops);
      Map<VirtualService, List<RealServer>> table = ordered(kernel.read());
      assertEquals(table, ordered(fake.read()), () -> "table after seed " + seed + ": " + ops);
      return new Outcome(real, table.size());
    } finally {
      if (daemon) {
        kernel.stopDaemon(SyncDaemon.State.MASTER);
      }
      kernel.flush();
    }
  }

  static List<Integer> errnos(ApplyResult r, int size) {
    List<Integer> out = new ArrayList<>(Collections.nCopies(size, 0));
    for (ApplyResult.Failure f : r.failures()) {
      out.set(f.index(), ((IpvsException) f.error()).errno());
    }
    return out;
  }

  /** Services in any order (the kernel lists them in hash order), real servers in list order. */
  static Map<VirtualService, List<RealServer>> ordered(List<TableEntry> entries) {
    Map<VirtualService, List<RealServer>> t = new HashMap<>();
    for (TableEntry e : entries) {
      t.put(e.service(), e.realServers());
    }
    return t;
  }
}
