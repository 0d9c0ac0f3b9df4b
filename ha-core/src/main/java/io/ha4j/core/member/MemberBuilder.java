package io.ha4j.core.member;

import io.ha4j.api.Scheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressOwner;
import io.ha4j.api.election.Election;
import io.ha4j.api.member.ConnectionSync;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.HealthLookup;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.core.health.HealthEngine;
import io.ha4j.core.reconcile.ReconcileOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of a {@link Member}, from {@link Member#builder}: the virtual addresses, the table and
 * its services, the standby policy, the sync daemon, the listeners. {@link #build()} hands them to
 * the member; the builder may be used again.
 */
public final class MemberBuilder {
  final Scheduler scheduler;
  final Election election;
  final AddressOwner addresses;
  final Set<VirtualAddress> virtualAddresses = new LinkedHashSet<>();
  final List<DesiredService> services = new ArrayList<>();
  final List<MemberListener> listeners = new ArrayList<>();
  @Nullable LoadBalancerTable table;
  HealthLookup health = HealthLookup.allUp();
  @Nullable HealthEngine healthEngine;
  ReconcileOptions reconcileOptions = ReconcileOptions.DEFAULTS;
  Duration reconcileInterval = Duration.ofSeconds(5);
  @Nullable ConnectionSync sync;
  StandbyPolicy standby = StandbyPolicy.hot();
  @Nullable Duration announceRefresh;
  Duration addressHoldBound = DEFAULT_ADDRESS_HOLD_BOUND;
  Logger log = LoggerFactory.getLogger(Member.class);

  MemberBuilder(Scheduler scheduler, Election election, AddressOwner addresses) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.election = Objects.requireNonNull(election, "election");
    this.addresses = Objects.requireNonNull(addresses, "addresses");
  }

  /** The virtual addresses the master owns. */
  public MemberBuilder virtualAddresses(Iterable<VirtualAddress> vips) {
    for (VirtualAddress a : vips) {
      virtualAddresses.add(Objects.requireNonNull(a, "virtual address"));
    }
    return this;
  }

  /**
   * The load-balancer table to keep reconciled, and where the health of its real servers comes
   * from (usually the health-check engine).
   */
  public MemberBuilder loadBalancer(LoadBalancerTable table, HealthLookup health) {
    this.table = Objects.requireNonNull(table, "table");
    this.health = Objects.requireNonNull(health, "health");
    this.healthEngine = null;
    return this;
  }

  /**
   * The load-balancer table to keep reconciled, following the checks of {@code health}: every
   * change of a real server's health runs a reconcile pass at once (as ldirectord edits the
   * table when a check fails), besides the periodic passes.
   */
  public MemberBuilder loadBalancer(LoadBalancerTable table, HealthEngine health) {
    loadBalancer(table, Objects.requireNonNull(health, "health").lookup());
    this.healthEngine = health;
    return this;
  }

  /** A desired virtual service with its real servers. */
  public MemberBuilder service(DesiredService service) {
    services.add(Objects.requireNonNull(service, "service"));
    return this;
  }

  /** How reconcile passes treat what they find (see {@link ReconcileOptions}). */
  public MemberBuilder reconcileOptions(ReconcileOptions options) {
    this.reconcileOptions = Objects.requireNonNull(options, "options");
    return this;
  }

  /** How often the table is checked and repaired; 5 s by default (ldirectord's checkinterval). */
  public MemberBuilder reconcileInterval(Duration interval) {
    this.reconcileInterval = requirePositive("reconcileInterval", interval);
    return this;
  }

  /** The connection sync daemon to run as master or backup with the role. */
  public MemberBuilder connectionSync(ConnectionSync s) {
    this.sync = Objects.requireNonNull(s, "sync");
    return this;
  }

  /**
   * How ready this member is as a backup: {@link StandbyPolicy#hot()} (the default), {@link
   * StandbyPolicy#warm} (the application runs only on the master) or {@link StandbyPolicy#cold}
   * (a spare is activated when too few members live).
   */
  public MemberBuilder standby(StandbyPolicy policy) {
    this.standby = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Re-announce the virtual addresses this often while master (keepalived's {@code
   * garp_master_refresh}); off by default.
   */
  public MemberBuilder announceRefresh(Duration interval) {
    this.announceRefresh = requirePositive("announceRefresh", interval);
    return this;
  }

  /** The default of {@link #addressHoldBound}: 300 ms. */
  public static final Duration DEFAULT_ADDRESS_HOLD_BOUND = Duration.ofMillis(300);

  /**
   * How long a master may go on without a virtual address it could not add (the interface missing
   * or re-created, ENOMEM, no answer from the kernel), retrying with backoff, before it goes to
   * FAULT and hands over with priority 0 so that a peer holds the address; the same bound for an
   * address that could not be released. 300 ms by default.
   */
  public MemberBuilder addressHoldBound(Duration bound) {
    this.addressHoldBound = requirePositive("addressHoldBound", bound);
    return this;
  }

  /** A listener for every transition and op, from the start on. */
  public MemberBuilder listener(MemberListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** A member with these settings, not started yet. */
  /**
   * Where the member writes its log lines: the logger of {@code io.ha4j.core.member.Member} by
   * default. An application with several members may name each; a throwaway member (a warm-up)
   * passes {@code NOPLogger.NOP_LOGGER}.
   */
  public MemberBuilder logger(Logger logger) {
    this.log = Objects.requireNonNull(logger, "logger");
    return this;
  }

  public Member build() {
    return new Member(this);
  }

  /** {@code d}, if it is longer than zero. */
  static Duration requirePositive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }
}
