package io.ha4j.core.reconcile;

import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.api.reconcile.HealthLookup;
import io.ha4j.api.reconcile.Quorum;
import io.ha4j.api.reconcile.RealServerStatus;
import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.api.health.HealthState;
import io.ha4j.api.health.Maintenance;
import io.ha4j.api.table.TableEntry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of load-balancer tables, desired services and health. Addresses come from small pools
 * of TEST-NET addresses so that desired and actual tables share keys and endpoints often.
 */
final class ReconcileArbitraries {

  private ReconcileArbitraries() {}

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737), 2001:db8::/32 (RFC 3849). */
  static Arbitrary<InetAddress> address(AddressFamily family) {
    Arbitrary<Integer> host = Arbitraries.integers().between(1, 5);
    if (family == AddressFamily.INET) {
      return Combinators.combine(Arbitraries.of("198.51.100.", "203.0.113."), host).as((net, h) -> ip(net + h));
    }
    return Combinators.combine(Arbitraries.of("2001:db8::", "2001:db8:1::"), host)
        .as((net, h) -> ip(net + Integer.toHexString(h)));
  }

  static Arbitrary<ServiceKey> serviceKey() {
    return Arbitraries.of(AddressFamily.class).flatMap(f -> Arbitraries.frequencyOf(
        Tuple.of(3, Combinators.combine(Arbitraries.of(Protocol.class), address(f), Arbitraries.of(80, 443, 53, 0))
            .as(ServiceKey::of)),
        // fwmark 0xffffffff checks that the unsigned mark survives as a signed int
        Tuple.of(1, Arbitraries.of(1, 2, 3, -1).map(m -> ServiceKey.fwmark(m, f)))));
  }

  static Arbitrary<VirtualService> virtualService(ServiceKey key) {
    boolean portZero = key instanceof ServiceKey.Inet inet && inet.port() == 0;
    int bits = key.family().bits();
    Arbitrary<String> scheduler = Arbitraries.of("rr", "wrr", "lc", "wlc", "sh", "mh", "sed", "nq", "lblcr", "fo");
    Arbitrary<Integer> timeout = portZero ? Arbitraries.of(60, 300) : Arbitraries.of(0, 0, 60, 300);
    Arbitrary<Integer> netmask = Arbitraries.of(bits, bits, bits == 32 ? 24 : 64);
    Arbitrary<String> engine = Arbitraries.just("sip").injectNull(0.8);
    return Combinators.combine(scheduler, Arbitraries.subsetOf(ServiceFlag.values()), timeout, netmask, engine)
        .as((s, flags, t, m, pe) -> new VirtualService(key, s, flags, t, m, pe));
  }

  /** A real server of the service's family; thresholds valid for the kernel (lower not above upper). */
  static Arbitrary<RealServer> realServer(AddressFamily family) {
    Arbitrary<Integer> weight = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(0)), Tuple.of(6, Arbitraries.integers().between(1, 5)),
        Tuple.of(1, Arbitraries.just(65535)));
    Arbitrary<int[]> thresholds = Arbitraries.of(0, 0, 10, 1000)
        .flatMap(u -> Arbitraries.integers().between(0, u).map(l -> new int[] {u, l}));
    Arbitrary<RealServer> base = Combinators.combine(address(family), Arbitraries.of(0, 80, 8080), weight,
            Arbitraries.of(ForwardingMethod.class), thresholds)
        .as((a, port, w, fwd, th) -> RealServer.of(a, port).withWeight(w).withForwarding(fwd).withThresholds(th[0], th[1]));
    return Combinators.combine(base, Arbitraries.of(TunnelType.class), Arbitraries.of(0, 6080), Arbitraries.integers().between(0, 2))
        .as((rs, type, port, flags) -> rs.forwarding() == ForwardingMethod.TUN ? rs.withTunnel(type, port, flags) : rs);
  }

  static Arbitrary<Quorum> quorum() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(Quorum.DEFAULT)),
        Tuple.of(1, Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.integers().between(0, 3))
            .as(Quorum::new)));
  }

  static Arbitrary<DesiredService> desiredService(ServiceKey key) {
    Arbitrary<List<RealServer>> pool = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(List.<RealServer>of())),
        Tuple.of(8, realServer(key.family()).list().ofMinSize(1).ofMaxSize(6).uniqueElements(RealServer::endpoint)));
    return Combinators.combine(virtualService(key), pool, Arbitraries.of(true, false),
            Arbitraries.of(FailureMode.class), quorum())
        .as((vs, servers, withSorry, mode, q) -> {
          List<RealServer> real = new ArrayList<>(servers);
          RealServer sorry = withSorry && !real.isEmpty() ? real.remove(real.size() - 1) : null;
          return new DesiredService(vs, real, sorry, mode, q);
        });
  }

  static Arbitrary<List<DesiredService>> desiredTable() {
    return serviceKey().list().ofMaxSize(4).uniqueElements()
        .flatMap(keys -> Combinators.combine(keys.stream().map(ReconcileArbitraries::desiredService).toList())
            .as(list -> list));
  }

  static Arbitrary<TableEntry> tableEntry() {
    return serviceKey().flatMap(key -> Combinators.combine(
        virtualService(key), realServer(key.family()).list().ofMaxSize(4).uniqueElements(RealServer::endpoint))
        .as(TableEntry::new));
  }

  /** Entries of a table nobody planned: random keys from the same pools, unique by key. */
  static Arbitrary<List<TableEntry>> foreignTable() {
    return tableEntry().list().ofMaxSize(4).uniqueElements(e -> e.service().key());
  }

  private static final RealServerStatus[] STATUSES = {
    RealServerStatus.UP, RealServerStatus.UP, RealServerStatus.UP, RealServerStatus.UP,
    RealServerStatus.DOWN, RealServerStatus.DOWN, RealServerStatus.UNKNOWN,
    new RealServerStatus(HealthState.UP, Maintenance.DRAIN),
    new RealServerStatus(HealthState.DOWN, Maintenance.DRAIN),
    new RealServerStatus(HealthState.UP, Maintenance.DISABLE),
    new RealServerStatus(HealthState.UNKNOWN, Maintenance.DISABLE),
  };

  /** A fixed, seeded assignment of status to every (service, endpoint); sometimes everything up or down. */
  static Arbitrary<SeededHealth> health() {
    return Combinators.combine(Arbitraries.integers(), Arbitraries.of(0, 0, 0, 1, 2)).as(SeededHealth::new);
  }

  /** Health as a pure function of a seed; {@code mode} 1 is all up, 2 all down. */
  record SeededHealth(int seed, int mode) implements HealthLookup {
    @Override
    public RealServerStatus statusOf(ServiceKey service, RealServer.Endpoint endpoint) {
      return switch (mode) {
        case 1 -> RealServerStatus.UP;
        case 2 -> RealServerStatus.DOWN;
        default -> STATUSES[Math.floorMod(Objects.hash(seed, service, endpoint), STATUSES.length)];
      };
    }
  }

  /**
   * A table that nearly matches {@code target} (the plan's target for {@code desired}, entry by
   * entry): each entry is kept, dropped or mutated as {@code script} says (a mutated entry may
   * also hold configured real servers the target leaves out, and the sorry server), then {@code foreign} entries are laid over it (replacing entries with the
   * same key, so desired keys also appear with unrelated contents).
   */
  static List<TableEntry> nearTable(
      List<DesiredService> desired, List<TableEntry> target, List<Integer> script, List<TableEntry> foreign) {
    var it = new Object() {
      int i;

      int next(int bound) {
        return script.isEmpty() ? 0 : Math.floorMod(script.get(i++ % script.size()), bound);
      }
    };
    Map<ServiceKey, TableEntry> out = new LinkedHashMap<>();
    for (int n = 0; n < target.size(); n++) {
      TableEntry e = target.get(n);
      switch (it.next(4)) {
        case 0 -> { } // missing: the reconciler must add it
        case 1 -> out.put(e.service().key(), e); // exact: must not be touched
        default -> {
          VirtualService vs = it.next(2) == 0 ? e.service() : e.service().withScheduler("lc");
          List<RealServer> servers = new ArrayList<>();
          for (RealServer rs : e.realServers()) {
            switch (it.next(4)) {
              case 0 -> { }
              case 1 -> servers.add(rs.withWeight((rs.weight() + 1) % 65536));
              case 2 -> servers.add(rs.withThresholds(rs.upperThreshold() + 5, rs.lowerThreshold()));
              default -> servers.add(rs);
            }
          }
          if (it.next(2) == 0) {
            DesiredService d = desired.get(n);
            List<RealServer> stale = new ArrayList<>(d.realServers());
            if (d.sorryServer() != null) {
              stale.add(d.sorryServer());
            }
            for (RealServer rs : stale) {
              if (servers.stream().noneMatch(s -> s.endpoint().equals(rs.endpoint()))) {
                servers.add(rs);
              }
            }
          }
          out.put(vs.key(), new TableEntry(vs, servers));
        }
      }
    }
    for (TableEntry f : foreign) {
      out.put(f.service().key(), f);
    }
    return List.copyOf(out.values());
  }
}
