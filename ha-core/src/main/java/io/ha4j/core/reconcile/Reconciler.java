package io.ha4j.core.reconcile;

import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.api.reconcile.HealthLookup;
import io.ha4j.api.reconcile.Quorum;
import io.ha4j.api.reconcile.RealServerStatus;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualService;
import io.ha4j.api.health.HealthState;
import io.ha4j.api.health.Maintenance;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableException;
import io.ha4j.api.table.TableOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link LoadBalancerTable} in line with the desired virtual services and the health of
 * their real servers: what ldirectord does after every check round.
 *
 * <p>Each {@link #reconcile} pass reads the table, {@linkplain #plan plans} the fewest ops that turn
 * it into the target, applies them and reports. Entries that already match are never touched, so
 * starting over a table left by a previous run issues no op at all and established connections
 * survive. Only mutable fields changing gives an update ({@code ipvsadm -E/-e}), never a delete and
 * add. Failed ops are reported, not thrown, and planned again by the next pass; a failed op never
 * takes a service's last live real server with it (see {@link StagedApply}).
 *
 * <p><b>Target.</b> For each real server of a desired service: maintenance {@code DISABLE} takes it
 * out; {@code DRAIN} keeps it at weight 0; otherwise its checks decide: up gives its configured
 * weight, down gives weight 0 ({@link FailureMode#QUIESCE}) or no entry ({@link FailureMode#REMOVE}).
 * {@link HealthState#UNKNOWN} counts as up unless {@link ReconcileOptions#alpha()} is set. While a
 * service has no {@linkplain Quorum quorum} its sorry server is in the table and, as in keepalived,
 * its live real servers are treated as down so that new connections go to the sorry server.
 *
 * <p><b>State.</b> The one thing a pass cannot read from the table is whether each service had
 * quorum, which hysteresis needs. The reconciler keeps it per service key between passes and
 * forgets a service when it is no longer desired. A service seen for the first time (at start, or
 * added at runtime) whose sorry server is configured and whose entry is already in the table
 * adopts the state the table shows: without quorum exactly when the sorry server is in it, so that
 * a restart inside the hysteresis band changes nothing. Otherwise it starts with quorum only if
 * its live weight reaches {@code quorum + hysteresis}, as keepalived starts. Changes are reported
 * to the {@link QuorumListener}, which should assume a service has quorum until told otherwise: a
 * service that starts without quorum is reported at its first pass, like keepalived's "starting
 * with quorum down". A pass whose table read fails leaves the state as it was.
 *
 * <p>Passes are serialised; run them on one {@link io.ha4j.api.Scheduler} (for example after each
 * health change, and periodically to repair changes made behind the reconciler's back). The
 * reconciler itself takes no time and starts no thread.
 */
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final LoadBalancerTable table;
  private final HealthLookup health;
  private final ReconcileOptions options;
  private final QuorumListener listener;
  /** Whether each service of the last pass had quorum; hysteresis needs it. */
  private Map<ServiceKey, Boolean> quorum = Map.of();

  public Reconciler(
      LoadBalancerTable table, HealthLookup health, ReconcileOptions options, QuorumListener listener) {
    this.table = Objects.requireNonNull(table, "table");
    this.health = Objects.requireNonNull(health, "health");
    this.options = Objects.requireNonNull(options, "options");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** A reconciler with the default options and no quorum listener. */
  public Reconciler(LoadBalancerTable table, HealthLookup health) {
    this(table, health, ReconcileOptions.DEFAULTS, QuorumListener.ignore());
  }

  /**
   * Reads the table, plans, applies and reports. Services of the table that are not in
   * {@code desired} are left alone unless {@link ReconcileOptions#removeUnmanaged()}.
   *
   * @throws IllegalArgumentException if two desired services have the same key
   */
  public synchronized ReconcileReport reconcile(List<DesiredService> desired) {
    List<TableEntry> actual;
    try {
      actual = table.read();
    } catch (TableException e) {
      LOG.warn("cannot read the load-balancer table; nothing changed: {}", e.getMessage());
      Plan none = new Plan(List.of(), List.of(), quorum, List.of());
      return new ReconcileReport(none, new ApplyResult(0, List.of()), e);
    }
    Plan plan = plan(desired, actual, health, quorum, options);
    ApplyResult result = new ApplyResult(0, List.of());
    TableException error = null;
    if (!plan.ops().isEmpty()) {
      try {
        result = StagedApply.apply(table, plan, actual);
      } catch (TableException e) {
        LOG.warn("cannot reach the load-balancer table; {} ops not applied: {}", plan.ops().size(), e.getMessage());
        error = e;
      }
      if (error == null) {
        Set<Integer> failed = new HashSet<>();
        for (ApplyResult.Failure f : result.failures()) {
          failed.add(f.index());
          LOG.warn("{} failed, will retry on the next pass: {}", f.op().describe(), f.error().getMessage());
        }
        for (int i = 0; i < plan.ops().size(); i++) {
          if (!failed.contains(i)) {
            // ldirectord and keepalived log every change of the pool the same way
            LOG.info("{}", plan.ops().get(i).describe());
          }
        }
      }
    }
    quorum = plan.quorum();
    for (QuorumChange change : plan.quorumChanges()) {
      LOG.info("{} {} quorum: live weight {} against quorum {} hysteresis {}",
          change.service(), change.up() ? "gained" : "lost", change.liveWeight(),
          change.quorum().quorum(), change.quorum().hysteresis());
      try {
        listener.quorumChanged(change);
      } catch (RuntimeException e) {
        // A failing listener must not stop the remaining notifications or the next pass.
        LOG.warn("quorum listener failed for {}", change.service(), e);
      }
    }
    return new ReconcileReport(plan, result, error);
  }

  /** The desired services that have no quorum now. */
  public synchronized Set<ServiceKey> quorumLost() {
    return quorum.entrySet().stream()
        .filter(e -> !e.getValue())
        .map(Map.Entry::getKey)
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The ops that turn {@code actual} into the target for {@code desired}: a pure function of its
   * arguments (it calls {@code health} once per configured real server).
   *
   * <p>Order of the ops: per desired service in the given order, the service is added or updated
   * first, then real servers are added, then updated, then deleted; unmanaged services are deleted
   * last. New real servers go in before old ones leave so that a service never has a moment with
   * no destination while, for example, the sorry server takes over from the real servers. No op
   * deletes something only to add it again: the kernel's key of a service (protocol, address,
   * port or firewall mark) and of a real server (address and port) are the keys compared here,
   * and every other field can be changed in place.
   *
   * @param quorumBefore whether each service had quorum before this plan (the previous
   *     {@link Plan#quorum()}); a service not in it is seen for the first time, see the class
   *     documentation
   * @throws IllegalArgumentException if two desired services have the same key
   */
  public static Plan plan(
      List<DesiredService> desired,
      List<TableEntry> actual,
      HealthLookup health,
      Map<ServiceKey, Boolean> quorumBefore,
      ReconcileOptions options) {
    Map<ServiceKey, TableEntry> actualByKey = new LinkedHashMap<>();
    for (TableEntry e : actual) {
      actualByKey.put(e.service().key(), e);
    }
    Set<ServiceKey> desiredKeys = new HashSet<>();
    List<TableOp> ops = new ArrayList<>();
    List<TableEntry> target = new ArrayList<>();
    Map<ServiceKey, Boolean> quorumAfter = new HashMap<>();
    List<QuorumChange> changes = new ArrayList<>();
    for (DesiredService d : desired) {
      ServiceKey key = d.service().key();
      if (!desiredKeys.add(key)) {
        throw new IllegalArgumentException("desired has service " + key + " twice");
      }
      TableEntry have = actualByKey.get(key);
      List<RealServerStatus> statuses = statuses(d, health);
      long live = liveWeight(d, statuses, options);
      Boolean before = quorumBefore.get(key);
      boolean wasUp = before != null ? before : startsWithQuorum(d, have, live);
      boolean up = d.quorum().holds(wasUp, live);
      quorumAfter.put(key, up);
      if (before == null ? !up : up != before) {
        changes.add(new QuorumChange(key, up, live, d.quorum()));
      }
      TableEntry want = new TableEntry(d.service(), project(d, statuses, options, up));
      target.add(want);
      diff(want, have, ops);
    }
    if (options.removeUnmanaged()) {
      for (ServiceKey key : actualByKey.keySet()) {
        if (!desiredKeys.contains(key)) {
          ops.add(new TableOp.DeleteService(key));
        }
      }
    }
    return new Plan(ops, target, quorumAfter, changes);
  }

  /** {@link #plan} for a first pass: every service is seen for the first time. */
  public static Plan plan(
      List<DesiredService> desired, List<TableEntry> actual, HealthLookup health, ReconcileOptions options) {
    return plan(desired, actual, health, Map.of(), options);
  }

  /**
   * keepalived starts a service with quorum only if the live weight reaches quorum + hysteresis.
   * A table that already holds the service tells more: its sorry server is there exactly when the
   * previous run had lost quorum, and adopting that state keeps a restart inside the hysteresis
   * band from changing anything.
   */
  private static boolean startsWithQuorum(DesiredService d, @Nullable TableEntry have, long live) {
    RealServer sorry = d.sorryServer();
    if (sorry != null && have != null) {
      return have.realServers().stream().noneMatch(rs -> rs.endpoint().equals(sorry.endpoint()));
    }
    return live >= (long) d.quorum().quorum() + d.quorum().hysteresis();
  }

  /** keepalived's weigh_live_realservers: configured weights of servers up and not in maintenance. */
  private static long liveWeight(DesiredService d, List<RealServerStatus> statuses, ReconcileOptions options) {
    long live = 0;
    for (int i = 0; i < statuses.size(); i++) {
      RealServer rs = d.realServers().get(i);
      RealServerStatus s = statuses.get(i);
      if (s.maintenance() == Maintenance.NONE && isUp(s.health(), options)) {
        live += rs.weight();
      }
    }
    return live;
  }

  /** Asks once per real server, so that one plan sees one consistent view of a changing health. */
  private static List<RealServerStatus> statuses(DesiredService d, HealthLookup health) {
    List<RealServerStatus> out = new ArrayList<>(d.realServers().size());
    for (RealServer rs : d.realServers()) {
      out.add(Objects.requireNonNull(health.statusOf(d.service().key(), rs.endpoint()),
          "health lookup answered null for " + rs.endpoint()));
    }
    return out;
  }

  private static List<RealServer> project(
      DesiredService d, List<RealServerStatus> statuses, ReconcileOptions options, boolean quorumUp) {
    RealServer sorry = quorumUp ? null : d.sorryServer();
    List<RealServer> out = new ArrayList<>();
    for (int i = 0; i < statuses.size(); i++) {
      RealServer rs = d.realServers().get(i);
      RealServerStatus s = statuses.get(i);
      RealServer placed = switch (s.maintenance()) {
        case DISABLE -> null;
        case DRAIN -> rs.withWeight(0);
        case NONE -> isUp(s.health(), options) && sorry == null ? rs : failed(rs, d.failureMode());
      };
      if (placed != null) {
        out.add(placed);
      }
    }
    if (sorry != null) {
      out.add(sorry);
    }
    return out;
  }

  private static boolean isUp(HealthState h, ReconcileOptions options) {
    return h == HealthState.UP || (h == HealthState.UNKNOWN && !options.alpha());
  }

  private static @Nullable RealServer failed(RealServer rs, FailureMode mode) {
    return mode == FailureMode.QUIESCE ? rs.withWeight(0) : null;
  }

  private static void diff(TableEntry want, @Nullable TableEntry have, List<TableOp> ops) {
    VirtualService service = want.service();
    ServiceKey key = service.key();
    if (have == null) {
      ops.add(new TableOp.AddService(service));
      for (RealServer rs : want.realServers()) {
        ops.add(new TableOp.AddRealServer(key, rs));
      }
      return;
    }
    if (!have.service().equals(service)) {
      ops.add(new TableOp.UpdateService(service));
    }
    Map<RealServer.Endpoint, RealServer> present = new HashMap<>();
    for (RealServer rs : have.realServers()) {
      present.put(rs.endpoint(), rs);
    }
    List<TableOp> updates = new ArrayList<>();
    Set<RealServer.Endpoint> wanted = new HashSet<>();
    for (RealServer rs : want.realServers()) {
      wanted.add(rs.endpoint());
      RealServer old = present.get(rs.endpoint());
      if (old == null) {
        ops.add(new TableOp.AddRealServer(key, rs));
      } else if (!old.equals(rs)) {
        updates.add(new TableOp.UpdateRealServer(key, rs));
      }
    }
    ops.addAll(updates);
    for (RealServer rs : have.realServers()) {
      if (!wanted.contains(rs.endpoint())) {
        ops.add(new TableOp.DeleteRealServer(key, rs.endpoint()));
      }
    }
  }
}
