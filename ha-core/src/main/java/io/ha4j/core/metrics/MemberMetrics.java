package io.ha4j.core.metrics;

import io.ha4j.api.Role;
import io.ha4j.api.election.RoleChange;
import io.ha4j.core.member.Member;
import io.ha4j.core.member.MemberEvent;
import io.ha4j.core.member.MemberListener;
import io.ha4j.core.reconcile.ReconcileReport;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.TableException;
import io.ha4j.api.table.TableOp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of a {@link Member}, tagged {@code node=<node id>} and with the tags given:
 *
 * <ul>
 *   <li>{@code ha4j.member.role{role=INIT|BACKUP|MASTER|FAULT}}: 1 for the role the member acts in
 *       now, 0 for the others (as keepalived exporters report VRRP state);
 *   <li>{@code ha4j.member.role.transitions{from,to}}: role changes;
 *   <li>{@code ha4j.member.failover}: timer of each time without a master as the member's
 *       availability accounts saw it ({@link Member#availability()}): from a role change or
 *       reconcile pass that found no master to the one that found one again. A backup that takes
 *       over from a master that fell silent counts from that master's last advertisement ({@link
 *       io.ha4j.api.election.RoleChange#lostMasterHeardAtNanos()}), so the detection time is in it;
 *   <li>{@code ha4j.member.without.master} (seconds) and {@code ha4j.member.availability}
 *       (fraction 0 to 1): the member's availability accounts;
 *   <li>{@code ha4j.vip.acquired}, {@code ha4j.vip.released}, {@code ha4j.vip.announced}: virtual
 *       address operations;
 *   <li>{@code ha4j.table.ops{op}}: load-balancer table ops applied, {@code op} one of {@code
 *       ADD_SERVICE, UPDATE_SERVICE, DELETE_SERVICE, ADD_REAL_SERVER, UPDATE_REAL_SERVER,
 *       DELETE_REAL_SERVER}; {@code ha4j.table.op.failures{op,reason}}: ops the kernel refused,
 *       {@code reason} a {@link TableException.Reason}; {@code ha4j.table.unreachable{reason}}:
 *       reconcile passes that could not read or reach the table;
 *   <li>{@code ha4j.service.quorum{service}}: 1 while a virtual service has quorum, 0 after it lost
 *       it (present from the first quorum change of the service);
 *   <li>{@code ha4j.member.failures}: failures the member reported and carried on from.
 * </ul>
 *
 * <p>Counters follow the member's {@link MemberEvent}s from when {@link #bindTo} is called; gauges
 * read the member when the registry is scraped. The member is held weakly by the gauges, as
 * Micrometer does for functional meters, and strongly by the listener this binder adds to it.
 */
public final class MemberMetrics implements MeterBinder {

  private final Member member;
  private final Tags tags;

  /** Meters of {@code member}, tagged with its node id. */
  public MemberMetrics(Member member) {
    this(member, Tags.empty());
  }

  /** Meters of {@code member}, tagged with its node id and {@code tags}. */
  public MemberMetrics(Member member, Iterable<Tag> tags) {
    this.member = Objects.requireNonNull(member, "member");
    this.tags = Tags.of("node", member.election().nodeId().value()).and(Objects.requireNonNull(tags, "tags"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Role role : Role.values()) {
      Gauge.builder("ha4j.member.role", member, m -> m.role() == role ? 1 : 0)
          .description("1 for the role this member acts in now, 0 for the others")
          .tags(tags)
          .tag("role", role.name())
          .register(registry);
    }
    FunctionCounter.builder("ha4j.member.without.master", member,
            m -> m.availability().withoutMaster().toNanos() / 1e9)
        .description("Time without a master as this member saw it, since the first master")
        .baseUnit("seconds")
        .tags(tags)
        .register(registry);
    Gauge.builder("ha4j.member.availability", member, m -> m.availability().availability())
        .description("Fraction of the time since the first master with a master present")
        .tags(tags)
        .register(registry);
    member.addListener(new Recorder(registry, tags));
  }

  /** Turns events into counts; runs on the member's scheduler thread. */
  private static final class Recorder implements MemberListener {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer failover;
    private final Counter acquired;
    private final Counter released;
    private final Counter announced;
    private final Counter failures;
    // Gauges hold their state weakly: this map keeps it alive as long as the listener.
    private final Map<String, AtomicInteger> quorum = new ConcurrentHashMap<>();

    Recorder(MeterRegistry registry, Tags tags) {
      this.registry = registry;
      this.tags = tags;
      this.failover = Timer.builder("ha4j.member.failover")
          .description("Each time without a master, until this member became or heard one")
          .tags(tags)
          .register(registry);
      this.acquired = counter("ha4j.vip.acquired", "Virtual addresses added to an interface");
      this.released = counter("ha4j.vip.released", "Virtual addresses removed from an interface");
      this.announced = counter("ha4j.vip.announced", "Gratuitous ARP / unsolicited NA bursts sent");
      this.failures = counter("ha4j.member.failures", "Failures the member reported and carried on from");
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    @Override
    public void onEvent(MemberEvent event) {
      if (event instanceof MemberEvent.RoleChanged r) {
        RoleChange c = r.change();
        Counter.builder("ha4j.member.role.transitions")
            .description("Role changes")
            .tags(tags)
            .tag("from", c.from().name())
            .tag("to", c.to().name())
            .register(registry)
            .increment();
      } else if (event instanceof MemberEvent.MasterRegained m) {
        failover.record(m.withoutMaster().toNanos(), TimeUnit.NANOSECONDS);
      } else if (event instanceof MemberEvent.AddressAcquired) {
        acquired.increment();
      } else if (event instanceof MemberEvent.AddressReleased) {
        released.increment();
      } else if (event instanceof MemberEvent.AddressAnnounced) {
        announced.increment();
      } else if (event instanceof MemberEvent.TableReconciled t) {
        table(t.report());
      } else if (event instanceof MemberEvent.QuorumChanged q) {
        String service = q.change().service().toString();
        quorum.computeIfAbsent(service, s -> {
          AtomicInteger state = new AtomicInteger();
          Gauge.builder("ha4j.service.quorum", state, AtomicInteger::get)
              .description("1 while the virtual service has quorum, 0 after it lost it")
              .tags(tags)
              .tag("service", s)
              .register(registry);
          return state;
        }).set(q.change().up() ? 1 : 0);
      } else if (event instanceof MemberEvent.Failure) {
        failures.increment();
      }
    }

    private void table(ReconcileReport report) {
      TableException error = report.error();
      if (error != null) {
        // The ops of such a pass were not applied; the next pass plans them again.
        Counter.builder("ha4j.table.unreachable")
            .description("Reconcile passes that could not read or reach the load-balancer table")
            .tags(tags)
            .tag("reason", error.reason().name())
            .register(registry)
            .increment();
        return;
      }
      List<TableOp> ops = report.ops();
      Set<Integer> failed = new HashSet<>();
      for (ApplyResult.Failure f : report.result().failures()) {
        failed.add(f.index());
        Counter.builder("ha4j.table.op.failures")
            .description("Load-balancer table ops the kernel refused")
            .tags(tags)
            .tag("op", kind(f.op()))
            .tag("reason", f.error().reason().name())
            .register(registry)
            .increment();
      }
      for (int i = 0; i < ops.size(); i++) {
        if (!failed.contains(i)) {
          Counter.builder("ha4j.table.ops")
              .description("Load-balancer table ops applied")
              .tags(tags)
              .tag("op", kind(ops.get(i)))
              .register(registry)
              .increment();
        }
      }
    }

    private static String kind(TableOp op) {
      if (op instanceof TableOp.AddService) {
        return "ADD_SERVICE";
      } else if (op instanceof TableOp.UpdateService) {
        return "UPDATE_SERVICE";
      } else if (op instanceof TableOp.DeleteService) {
        return "DELETE_SERVICE";
      } else if (op instanceof TableOp.AddRealServer) {
        return "ADD_REAL_SERVER";
      } else if (op instanceof TableOp.UpdateRealServer) {
        return "UPDATE_REAL_SERVER";
      }
      return "DELETE_REAL_SERVER";
    }
  }
}
