package io.ha4j.core.health;

import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthChange;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.api.health.HealthState;
import io.ha4j.api.health.Maintenance;
import io.ha4j.api.Cancellable;
import io.ha4j.api.RealServer;
import io.ha4j.api.Scheduler;
import io.ha4j.api.ServiceKey;
import io.ha4j.core.health.internal.Completions;
import io.ha4j.core.health.internal.Probes;
import io.ha4j.core.health.internal.TimerSlots;
import io.ha4j.core.health.internal.Target;
import io.ha4j.api.reconcile.HealthLookup;
import io.ha4j.api.reconcile.RealServerStatus;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs health checks of many targets on a few threads and tells listeners when a target's state or
 * maintenance override changes (the job of ldirectord and keepalived's checkers).
 *
 * <p>Threads: all timing and all state changes run on the given {@link Scheduler} (round starts
 * and timeouts due in the same millisecond share one scheduler task); TCP and UDP checks share two
 * selector threads (one on a single-CPU machine); HTTP(S) checks share two JDK HTTP clients (one
 * verifying certificates, one not) on two worker threads, which also launch command checks. None
 * of these is created before a check needs it. No TCP, UDP or HTTP check holds a thread while it
 * waits, so ten thousand targets cost no more threads than one, and a slow target cannot delay the
 * others. A running command check is a process, which the JDK watches with a thread of its own:
 * keep those for the few targets that need a script.
 *
 * <p>Listeners run on the scheduler thread and must not block. See {@link CheckSettings} for
 * rounds, retries and the rise/fall rules. The maintenance override does not stop the checks: the
 * state stays current for when the override is lifted, and consumers such as the reconciler combine
 * both.
 */
public final class HealthEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthEngine.class);

  private final Scheduler scheduler;
  private final Random random;
  private final Probes probes = new Probes("ha4j-health");
  private final Completions completions;
  private final TimerSlots timers;
  private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();
  private final List<Consumer<HealthChange>> listeners = new CopyOnWriteArrayList<>();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private volatile boolean closed;

  /** An engine timing everything on {@code scheduler}, with a randomly seeded warm-up jitter. */
  public HealthEngine(Scheduler scheduler) {
    this(scheduler, new Random());
  }

  /** An engine whose warm-up jitter comes from {@code random} (seed it for repeatable runs). */
  public HealthEngine(Scheduler scheduler, Random random) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.random = Objects.requireNonNull(random, "random");
    this.completions = new Completions(scheduler);
    this.timers = new TimerSlots(scheduler);
  }

  /**
   * Starts checking a target; its state is {@link HealthState#UNKNOWN} until the first threshold
   * is crossed.
   *
   * @return cancelling it unregisters the target
   * @throws IllegalStateException if {@code id} is taken or the engine is closed
   */
  public Cancellable register(String id, HealthCheck check, CheckSettings settings) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(settings, "settings");
    if (closed) {
      throw new IllegalStateException("health engine is closed; cannot register " + id);
    }
    var target = new Target(id, check, settings, scheduler, probes, completions, timers, this::publish, this::countAttempt);
    if (targets.putIfAbsent(id, target) != null) {
      throw new IllegalStateException("a target is already registered as '" + id + "'");
    }
    Duration delay = Duration.ZERO;
    if (settings.warmupJitter()) {
      long interval = settings.interval().toNanos();
      long jitter;
      synchronized (random) {
        jitter = Math.floorMod(random.nextLong(), interval);
      }
      delay = Duration.ofNanos(jitter);
    }
    Duration firstDelay = delay;
    scheduler.execute(() -> target.start(firstDelay));
    return () -> unregister(id);
  }

  /**
   * Stops checking {@code id}: cancels its timers and its pending attempt (closing sockets, killing
   * command processes). No listener hears of it afterwards.
   *
   * @return whether it was registered
   */
  public boolean unregister(String id) {
    Target t = targets.remove(id);
    if (t == null) {
      return false;
    }
    t.close();
    return true;
  }

  /**
   * The conventional id of a real server's target behind a virtual service, e.g. {@code "TCP
   * 198.51.100.10:80 -> 203.0.113.1:80"}: register checks under it and {@link #lookup()} finds
   * them.
   */
  public static String targetId(ServiceKey service, RealServer.Endpoint endpoint) {
    return service + " -> " + endpoint;
  }

  /**
   * This engine as the reconciler's {@link HealthLookup}: the status of the target registered
   * under {@link #targetId}. A real server without a registered target is {@link
   * HealthState#UNKNOWN} (up, unless the reconciler runs with {@code alpha}).
   */
  public HealthLookup lookup() {
    return (service, endpoint) -> {
      Target t = targets.get(targetId(service, endpoint));
      return t == null ? RealServerStatus.UNKNOWN : new RealServerStatus(t.state(), t.maintenance());
    };
  }

  /** The ids of the registered targets. */
  public Set<String> targets() {
    return Set.copyOf(targets.keySet());
  }

  /**
   * Check attempts finished since the engine was created, retries and timed-out attempts included,
   * over all targets (for metrics).
   */
  public long checksRun() {
    return attempts.sum();
  }

  /** The attempts among {@link #checksRun()} that failed or timed out. */
  public long checksFailed() {
    return failedAttempts.sum();
  }

  /** How many registered targets are in {@code state} now (regardless of maintenance). */
  public int count(HealthState state) {
    Objects.requireNonNull(state, "state");
    int n = 0;
    for (Target t : targets.values()) {
      if (t.state() == state) {
        n++;
      }
    }
    return n;
  }

  /** The checks' verdict on {@code id} (regardless of maintenance). */
  public HealthState state(String id) {
    return target(id).state();
  }

  /** The operator's override of {@code id}. */
  public Maintenance maintenance(String id) {
    return target(id).maintenance();
  }

  /** The result of the last completed round of {@code id}, if any. */
  public Optional<CheckResult> lastResult(String id) {
    return Optional.ofNullable(target(id).lastResult());
  }

  /**
   * Sets the operator's override of {@code id}; listeners hear of a change as a {@link
   * HealthChange} whose state did not change.
   */
  public void setMaintenance(String id, Maintenance maintenance) {
    Objects.requireNonNull(maintenance, "maintenance");
    target(id).setMaintenance(maintenance);
  }

  /**
   * Adds a listener for state and maintenance changes; it runs on the scheduler thread.
   *
   * @return cancelling it removes the listener
   */
  public Cancellable addListener(Consumer<HealthChange> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Unregisters every target and stops the engine's I/O threads. */
  @Override
  public void close() {
    closed = true;
    for (String id : targets.keySet()) {
      unregister(id);
    }
    probes.close();
  }

  private Target target(String id) {
    Target t = targets.get(Objects.requireNonNull(id, "id"));
    if (t == null) {
      throw new NoSuchElementException("no target registered as '" + id + "'");
    }
    return t;
  }

  private void countAttempt(CheckResult result) {
    attempts.increment();
    if (!result.up()) {
      failedAttempts.increment();
    }
  }

  private void publish(HealthChange change) {
    if (targets.get(change.target()) == null) {
      return;
    }
    for (Consumer<HealthChange> l : listeners) {
      try {
        l.accept(change);
      } catch (RuntimeException e) {
        LOG.error("health listener {} failed on {}", l, change, e);
      }
    }
  }
}
