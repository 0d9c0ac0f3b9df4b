package io.ha4j.core.health.internal;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthChange;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.api.health.HealthState;
import io.ha4j.api.health.Maintenance;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered target: its rounds, attempts, rise/fall counting and state.
 *
 * <p>Every step runs as a task of the engine's {@link Scheduler}, which runs tasks one at a time,
 * so the counters need no lock. Results from I/O threads come back through {@link
 * Completions}. Each attempt gets a fresh token; a result or timeout carrying an older token is
 * ignored, which is what keeps a late answer from counting twice. The next round is scheduled only
 * once the current attempt has finished or timed out, so attempts of one target never overlap.
 */
public final class Target {

  private static final Logger LOG = LoggerFactory.getLogger(Target.class);

  private final String id;
  private final HealthCheck check;
  private final CheckSettings settings;
  private final Scheduler scheduler;
  private final Probes probes;
  private final Completions completions;
  private final TimerSlots timers;
  private final Consumer<HealthChange> changes;
  private final Consumer<CheckResult> attempts;

  private volatile HealthState state = HealthState.UNKNOWN;
  private volatile Maintenance maintenance = Maintenance.NONE;
  private volatile @Nullable CheckResult lastResult;
  private volatile boolean closed;
  private volatile @Nullable Cancellable timer;
  private volatile @Nullable CompletableFuture<CheckResult> inFlight;

  // Scheduler thread only.
  private int successes;
  private int failures;
  private int attempt;
  private long token;
  private long plannedStart;

  public Target(
      String id,
      HealthCheck check,
      CheckSettings settings,
      Scheduler scheduler,
      Probes probes,
      Completions completions,
      TimerSlots timers,
      Consumer<HealthChange> changes,
      Consumer<CheckResult> attempts) {
    this.id = id;
    this.check = check;
    this.settings = settings;
    this.scheduler = scheduler;
    this.probes = probes;
    this.completions = completions;
    this.timers = timers;
    this.changes = changes;
    this.attempts = attempts;
  }

  /** Plans the first round {@code initialDelay} from now; on the scheduler's thread. */
  public void start(Duration initialDelay) {
    if (!closed) {
      plannedStart = timers.at(scheduler.clock().nanoTime() + initialDelay.toNanos(), this::beginRound);
    }
  }

  public HealthState state() {
    return state;
  }

  public Maintenance maintenance() {
    return maintenance;
  }

  public @Nullable CheckResult lastResult() {
    return lastResult;
  }

  public void setMaintenance(Maintenance m) {
    Maintenance old;
    synchronized (this) {
      old = maintenance;
      maintenance = m;
    }
    if (old != m) {
      LOG.info("health target {}: maintenance {} -> {}", id, old, m);
      scheduler.execute(() -> {
        if (!closed) {
          HealthState s = state;
          changes.accept(new HealthChange(id, s, s, m, "maintenance " + old + " -> " + m));
        }
      });
    }
  }

  /** Stops all rounds, cancels the pending attempt (closing its socket or killing its process). */
  public void close() {
    closed = true;
    cancel(timer);
    CompletableFuture<CheckResult> f = inFlight;
    if (f != null) {
      f.cancel(true);
    }
  }

  private void beginRound() {
    if (closed) {
      return;
    }
    attempt = 0;
    runAttempt();
  }

  private void runAttempt() {
    if (closed) {
      return;
    }
    long myToken = ++token;
    var context = new Attempt(id, settings.timeout(), plannedStart, attempt, probes);
    CompletableFuture<CheckResult> f;
    try {
      f = toFuture(check.run(context));
    } catch (RuntimeException e) {
      f = CompletableFuture.completedFuture(CheckResult.down("check failed to start: " + ChannelLoop.describe(e)));
    }
    inFlight = f;
    if (closed) {
      // close() ran on another thread before inFlight was set: it could not cancel this attempt.
      f.cancel(true);
      return;
    }
    if (f.isDone()) {
      // Most failures to start are immediate: skip the timeout timer and the hand-over.
      CheckResult r = null;
      Throwable x = null;
      try {
        r = f.join();
      } catch (RuntimeException e) {
        x = e;
      }
      onAttemptDone(myToken, r, x);
      return;
    }
    // Not cancelled when the attempt finishes first: the token tells onTimeout it is too late.
    timers.at(scheduler.clock().nanoTime() + settings.timeout().toNanos(), () -> onTimeout(myToken));
    f.whenComplete((r, e) -> completions.post(() -> onAttemptDone(myToken, r, e)));
  }

  private static CompletableFuture<CheckResult> toFuture(@Nullable CompletionStage<CheckResult> stage) {
    if (stage == null) {
      return CompletableFuture.completedFuture(CheckResult.down("check returned no result"));
    }
    try {
      return stage.toCompletableFuture();
    } catch (UnsupportedOperationException e) {
      var f = new CompletableFuture<CheckResult>();
      stage.whenComplete((r, x) -> {
        if (x != null) {
          f.completeExceptionally(x);
        } else {
          f.complete(r);
        }
      });
      return f;
    }
  }

  private void onTimeout(long myToken) {
    if (closed || myToken != token) {
      return;
    }
    token++;
    CompletableFuture<CheckResult> f = inFlight;
    inFlight = null;
    if (f != null) {
      f.cancel(true);
    }
    finishAttempt(CheckResult.down("timed out after " + settings.timeout()));
  }

  private void onAttemptDone(long myToken, @Nullable CheckResult r, @Nullable Throwable e) {
    if (closed || myToken != token) {
      return;
    }
    token++;
    inFlight = null;
    CheckResult result;
    if (e != null) {
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      result = CheckResult.down("check failed: " + ChannelLoop.describe(cause));
    } else if (r == null) {
      result = CheckResult.down("check returned no result");
    } else {
      result = r;
    }
    finishAttempt(result);
  }

  private void finishAttempt(CheckResult result) {
    attempts.accept(result);
    if (!result.up() && attempt < settings.retries()) {
      attempt++;
      LOG.debug("health target {}: attempt failed ({}), retry {} of {}", id, result.detail(), attempt, settings.retries());
      arm(scheduler.schedule(settings.retryDelay(), this::runAttempt));
      return;
    }
    count(result);
    long now = scheduler.clock().nanoTime();
    long next = plannedStart + settings.interval().toNanos();
    // A round that overran its interval pushes the next one back instead of running two at once.
    if (next - now < 0) {
      next = now;
    }
    // A closed target's pending round finds it closed and does nothing; no need to cancel it.
    plannedStart = timers.at(next, this::beginRound);
  }

  private void count(CheckResult result) {
    lastResult = result;
    HealthState old = state;
    HealthState now = old;
    if (result.up()) {
      failures = 0;
      successes++;
      if (old != HealthState.UP && successes >= settings.rise()) {
        now = HealthState.UP;
      }
    } else {
      successes = 0;
      failures++;
      if (old != HealthState.DOWN && failures >= settings.fall()) {
        now = HealthState.DOWN;
      }
    }
    if (now != old) {
      state = now;
      LOG.info("health target {}: {} -> {} ({})", id, old, now, result.detail());
      changes.accept(new HealthChange(id, old, now, maintenance, result.detail()));
    } else {
      LOG.trace("health target {}: {} ({})", id, result.up() ? "ok" : "failed", result.detail());
    }
  }

  private void arm(Cancellable c) {
    timer = c;
    // close() may have run on another thread between our closed check and this assignment.
    if (closed) {
      c.cancel();
    }
  }

  private static void cancel(@Nullable Cancellable c) {
    if (c != null) {
      c.cancel();
    }
  }

  @Override
  public String toString() {
    return "Target[" + id + ", " + state + ", " + maintenance + "]";
  }
}
