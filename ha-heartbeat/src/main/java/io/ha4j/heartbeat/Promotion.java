package io.ha4j.heartbeat;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * A backup's way to master through the {@link BeforeMaster} hook: the member stays backup while
 * the hook runs and becomes master when it completes, fails or times out ({@link
 * HeartbeatConfig#beforeMasterTimeout()}), unless the promotion was abandoned meanwhile (a master
 * that wins was heard, a fault, a stop). Guarded by the election's lock; the hook itself runs on a
 * thread of its own, outside it.
 */
final class Promotion {

  private final Logger log;

  private final HeartbeatConfig config;
  private final Scheduler scheduler;
  private final Object lock;
  private final String name;
  private final BooleanSupplier stillBackup;
  private final Consumer<String> becomeMaster;

  private boolean running;
  private long token;
  private @Nullable Cancellable timeout;

  /**
   * Promotions that end in {@code becomeMaster} (with the reason), under {@code lock}, if {@code
   * stillBackup} holds then.
   */
  Promotion(HeartbeatConfig config, Scheduler scheduler, Object lock, String name, BooleanSupplier stillBackup,
      Consumer<String> becomeMaster, Logger log) {
    this.log = log;
    this.config = config;
    this.scheduler = scheduler;
    this.lock = lock;
    this.name = name;
    this.stillBackup = stillBackup;
    this.becomeMaster = becomeMaster;
  }

  /** Whether there is a hook to run: without one a backup becomes master at once. */
  boolean hasHook() {
    return config.beforeMaster() != BeforeMaster.NONE;
  }

  /** The hook runs and its result is awaited. */
  boolean running() {
    return running;
  }

  /** Runs the hook for {@code reason}. */
  void begin(String reason) {
    running = true;
    long t = ++token;
    log.info("{}: running the before-master hook ({})", name, reason);
    timeout = scheduler.schedule(config.beforeMasterTimeout(),
        () -> finish(t, reason, "timed out after " + config.beforeMasterTimeout()));
    // Neither under the election's lock nor on its scheduler: a hook that blocks, or that waits
    // for a thread calling back into the election, would hold both (issue 16 item 12). A blocking
    // hook now delays only this promotion, up to the timeout.
    Thread hook = new Thread(() -> prepare(t, reason), name + " before-master hook");
    hook.setDaemon(true);
    hook.start();
  }

  private void prepare(long t, String reason) {
    CompletionStage<?> stage;
    try {
      stage = config.beforeMaster().prepare(reason);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((v, err) -> scheduler.execute(
        () -> finish(t, reason, err == null ? null : "failed: " + err)));
  }

  /** Abandons a running promotion: its hook's result is ignored. */
  void abort(String why) {
    if (running) {
      running = false;
      token++;
      cancelTimeout();
      log.info("{}: not becoming master after all: {}", name, why);
    }
  }

  private void finish(long t, String reason, @Nullable String problem) {
    synchronized (lock) {
      if (!running || t != token || !stillBackup.getAsBoolean()) {
        return;
      }
      running = false;
      cancelTimeout();
      if (problem != null) {
        log.warn("{}: before-master hook {}; becoming master anyway", name, problem);
      }
      becomeMaster.accept(reason);
    }
  }

  private void cancelTimeout() {
    Cancellable c = timeout;
    if (c != null) {
      c.cancel();
    }
  }
}
