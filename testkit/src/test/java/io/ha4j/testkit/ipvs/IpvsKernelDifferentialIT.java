package io.ha4j.testkit.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsException;
import io.ha4j.testkit.vm.KernelTest;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential test that makes the fake trustworthy: the same op sequences (from the model
 * test's value space, see {@link #sequence(long)}) go to the real ip_vs of the kernel VM
 * and to {@link FakeIpvsKernel}; both must answer every op with the same errno and end with the
 * same table, real servers in the same order. A fixed list of seeds plus a few random ones per run
 * (the VM is slow); a failure names its seed, which {@link #sequence(long)} replays. Differences
 * found here are kept as fake-only regression cases in {@link FakeIpvsKernelObservedTest}.
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
    kernel = ns.client();
  }

  @AfterAll
  static void close() {
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

  /**
   * The op sequence of {@code seed}, the same on every machine and run: 1..60 ops over the model
   * test's services and endpoints ({@link IpvsTableProperties#KEYS}, {@link
   * IpvsTableProperties#ENDPOINTS}) with the same value choices as its generator. (Drawn from a
   * plain {@link Random}: jqwik's generators only run inside a jqwik property, and kernel tests
   * run on the Jupiter engine.)
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

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static TableOp op(Random random) {
    ServiceKey key = pick(random, IpvsTableProperties.KEYS);
    List<RealServer.Endpoint> endpoints = IpvsTableProperties.ENDPOINTS.get(key.family());
    return switch (random.nextInt(7)) {
      case 0 -> new TableOp.AddService(service(random, key));
      case 1 -> new TableOp.UpdateService(service(random, key));
      case 2 -> new TableOp.DeleteService(key);
      case 3, 4 -> new TableOp.AddRealServer(key, realServer(random, endpoints));
      case 5 -> new TableOp.UpdateRealServer(key, realServer(random, endpoints));
      default -> new TableOp.DeleteRealServer(key, pick(random, endpoints));
    };
  }

  private static VirtualService service(Random random, ServiceKey key) {
    List<Integer> masks = key.family() == AddressFamily.INET ? List.of(32, 24) : List.of(128, 64);
    return VirtualService.of(key, pick(random, List.of("rr", "wlc", "sh", "mh", "nosuch")))
        .withPersistence(pick(random, List.of(0, 300)), pick(random, masks));
  }

  private static RealServer realServer(Random random, List<RealServer.Endpoint> endpoints) {
    RealServer.Endpoint ep = pick(random, endpoints);
    ForwardingMethod fwd = pick(random, List.of(ForwardingMethod.values()));
    int weight = random.nextInt(11);
    int upper = pick(random, List.of(0, 5, 10));
    int lower = pick(random, List.of(0, 5, 10));
    TunnelType tun = pick(random, List.of(TunnelType.IPIP, TunnelType.GUE));
    int tunPort = pick(random, List.of(0, 6080));
    return new RealServer(ep.address(), ep.port(), weight, fwd, upper, lower,
        fwd == ForwardingMethod.TUN ? tun : TunnelType.IPIP, fwd == ForwardingMethod.TUN ? tunPort : 0, 0);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void fakeAnswersAsTheKernelDoes(long seed) {
    List<TableOp> ops = sequence(seed);
    kernel.flush();
    try (IpvsClient fake = new IpvsClient(new FakeIpvsKernel(), () -> 0L, Duration.ofSeconds(1))) {
      List<Integer> real = errnos(kernel.apply(ops), ops.size());
      List<Integer> faked = errnos(fake.apply(ops), ops.size());
      assertEquals(real, faked, () -> "errno per op, seed " + seed + ": " + ops);
      assertEquals(ordered(kernel.read()), ordered(fake.read()), () -> "table after seed " + seed + ": " + ops);
    } finally {
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
