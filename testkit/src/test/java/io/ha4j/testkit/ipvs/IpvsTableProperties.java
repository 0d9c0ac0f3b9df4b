package io.ha4j.testkit.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsException;
import io.ha4j.linux.Errno;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random valid op sequences applied through the real client to the fake kernel leave the same table
 * as a plain reference model, and every failing op fails with the errno ip_vs_ctl.c returns (checks
 * in the kernel's order: existence of the service, then values, then existence of the destination).
 */
class IpvsTableProperties {

  static final List<ServiceKey> KEYS;
  static final Map<AddressFamily, List<RealServer.Endpoint>> ENDPOINTS = new HashMap<>();

  static {
    try {
      KEYS = List.of(
          ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100.1"), 80),
          ServiceKey.of(Protocol.UDP, InetAddress.getByName("2001:db8::1"), 53),
          ServiceKey.fwmark(7, AddressFamily.INET));
      ENDPOINTS.put(AddressFamily.INET, List.of(
          new RealServer.Endpoint(InetAddress.getByName("203.0.113.1"), 80),
          new RealServer.Endpoint(InetAddress.getByName("203.0.113.2"), 80),
          new RealServer.Endpoint(InetAddress.getByName("203.0.113.2"), 8080)));
      ENDPOINTS.put(AddressFamily.INET6, List.of(
          new RealServer.Endpoint(InetAddress.getByName("2001:db8::10"), 53),
          new RealServer.Endpoint(InetAddress.getByName("2001:db8::11"), 53)));
    } catch (UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static Arbitrary<VirtualService> service(ServiceKey key) {
    return Combinators.combine(
            Arbitraries.of("rr", "wlc", "sh", "mh", "nosuch"),
            Arbitraries.of(0, 300),
            Arbitraries.of(key.family() == AddressFamily.INET ? List.of(32, 24) : List.of(128, 64)))
        .as((sched, timeout, mask) -> VirtualService.of(key, sched).withPersistence(timeout, mask));
  }

  static Arbitrary<RealServer> realServer(ServiceKey key) {
    return Combinators.combine(
            Arbitraries.of(ENDPOINTS.get(key.family())),
            Arbitraries.integers().between(0, 10),
            Arbitraries.of(ForwardingMethod.values()),
            Arbitraries.of(0, 5, 10),
            Arbitraries.of(0, 5, 10),
            Arbitraries.of(TunnelType.IPIP, TunnelType.GUE),
            Arbitraries.of(0, 6080))
        .as((ep, w, fwd, upper, lower, tun, tunPort) -> new RealServer(ep.address(), ep.port(), w, fwd, upper, lower,
            fwd == ForwardingMethod.TUN ? tun : TunnelType.IPIP, fwd == ForwardingMethod.TUN ? tunPort : 0, 0));
  }

  static Arbitrary<TableOp> op() {
    return Arbitraries.of(KEYS).flatMap(key -> Arbitraries.oneOf(
        service(key).map(TableOp.AddService::new),
        service(key).map(TableOp.UpdateService::new),
        Arbitraries.just(new TableOp.DeleteService(key)),
        realServer(key).map(r -> new TableOp.AddRealServer(key, r)),
        realServer(key).map(r -> new TableOp.AddRealServer(key, r)),
        realServer(key).map(r -> new TableOp.UpdateRealServer(key, r)),
        Arbitraries.of(ENDPOINTS.get(key.family())).map(e -> new TableOp.DeleteRealServer(key, e))));
  }

  /** Op sequences over a small set of services and real servers, so that they collide. */
  static Arbitrary<List<TableOp>> opSequences(int maxSize) {
    return op().list().ofMinSize(1).ofMaxSize(maxSize);
  }

  @Provide
  Arbitrary<List<TableOp>> ops() {
    return opSequences(150);
  }

  /** The reference model: services by key, each with real servers by endpoint. */
  static final class Model {
    final Map<ServiceKey, VirtualService> services = new LinkedHashMap<>();
    final Map<ServiceKey, Map<RealServer.Endpoint, RealServer>> servers = new HashMap<>();

    /** Applies {@code op}; returns the errno the kernel answers, 0 on success. */
    int apply(TableOp op) {
      ServiceKey key = op.serviceKey();
      boolean exists = services.containsKey(key);
      if (op instanceof TableOp.AddService a) {
        if (exists) {
          return Errno.EEXIST.number();
        }
        if (!FakeIpvsKernel.STOCK_SCHEDULERS.contains(a.service().scheduler())) {
          return Errno.ENOENT.number();
        }
        services.put(key, a.service());
        servers.put(key, new HashMap<>());
        return 0;
      }
      if (!exists) {
        return Errno.ESRCH.number();
      }
      if (op instanceof TableOp.UpdateService u) {
        if (!FakeIpvsKernel.STOCK_SCHEDULERS.contains(u.service().scheduler())) {
          return Errno.ENOENT.number();
        }
        services.put(key, u.service());
        return 0;
      }
      if (op instanceof TableOp.DeleteService) {
        services.remove(key);
        servers.remove(key);
        return 0;
      }
      Map<RealServer.Endpoint, RealServer> rs = servers.get(key);
      if (op instanceof TableOp.DeleteRealServer d) {
        return rs.remove(d.endpoint()) == null ? Errno.ENOENT.number() : 0;
      }
      RealServer r = op instanceof TableOp.AddRealServer a ? a.realServer() : ((TableOp.UpdateRealServer) op).realServer();
      if (r.lowerThreshold() > r.upperThreshold()) {
        return Errno.ERANGE.number();
      }
      if (r.tunnelType() == TunnelType.GUE && r.tunnelPort() == 0) {
        return Errno.EINVAL.number();
      }
      boolean present = rs.containsKey(r.endpoint());
      if (op instanceof TableOp.AddRealServer && present) {
        return Errno.EEXIST.number();
      }
      if (op instanceof TableOp.UpdateRealServer && !present) {
        return Errno.ENOENT.number();
      }
      rs.put(r.endpoint(), r);
      return 0;
    }

    Map<VirtualService, Set<RealServer>> table() {
      Map<VirtualService, Set<RealServer>> t = new HashMap<>();
      services.forEach((k, v) -> t.put(v, new HashSet<>(servers.get(k).values())));
      return t;
    }
  }

  /** A table as a map, so that the order of services and real servers does not matter. */
  static Map<VirtualService, Set<RealServer>> table(List<TableEntry> entries) {
    Map<VirtualService, Set<RealServer>> t = new HashMap<>();
    for (TableEntry e : entries) {
      t.put(e.service(), new HashSet<>(e.realServers()));
    }
    return t;
  }

  @Property(tries = 300)
  void pipelinedOpsLeaveTheModelsTableAndFailWithTheKernelsErrno(@ForAll("ops") List<TableOp> ops) {
    FakeIpvsKernel kernel = new FakeIpvsKernel();
    try (IpvsClient client = new IpvsClient(kernel, () -> 0L, Duration.ofSeconds(1))) {
      Model model = new Model();
      List<Integer> expected = new ArrayList<>();
      for (TableOp op : ops) {
        expected.add(model.apply(op));
      }
      ApplyResult result = client.apply(ops);
      List<Integer> actual = new ArrayList<>(java.util.Collections.nCopies(ops.size(), 0));
      for (ApplyResult.Failure f : result.failures()) {
        actual.set(f.index(), ((IpvsException) f.error()).errno());
      }
      assertEquals(expected, actual, () -> "errno per op; kernel " + kernel);
      Statistics.label("failed ops").collect(result.failures().isEmpty() ? "none" : "some");
      assertEquals(model.table(), table(client.read()), () -> "table; kernel " + kernel);
    }
  }

  @Property(tries = 100)
  void opByOpCallsAgreeWithTheModel(@ForAll("ops") List<TableOp> ops) {
    FakeIpvsKernel kernel = new FakeIpvsKernel();
    try (IpvsClient client = new IpvsClient(kernel, () -> 0L, Duration.ofSeconds(1))) {
      Model model = new Model();
      for (TableOp op : ops) {
        int expected = model.apply(op);
        int actual = 0;
        try {
          if (op instanceof TableOp.AddService a) {
            client.addService(a.service());
          } else if (op instanceof TableOp.UpdateService u) {
            client.updateService(u.service());
          } else if (op instanceof TableOp.DeleteService d) {
            client.deleteService(d.serviceKey());
          } else if (op instanceof TableOp.AddRealServer a) {
            client.addRealServer(a.serviceKey(), a.realServer());
          } else if (op instanceof TableOp.UpdateRealServer u) {
            client.updateRealServer(u.serviceKey(), u.realServer());
          } else if (op instanceof TableOp.DeleteRealServer d) {
            client.deleteRealServer(d.serviceKey(), d.endpoint());
          }
        } catch (IpvsException e) {
          actual = e.errno();
        }
        assertEquals(expected, actual, () -> op + "; kernel " + kernel);
      }
      assertEquals(model.table(), table(client.read()));
    }
  }
}
