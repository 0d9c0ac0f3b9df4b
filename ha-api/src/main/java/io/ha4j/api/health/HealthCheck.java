package io.ha4j.api.health;

import java.util.concurrent.CompletionStage;

/**
 * One way of checking a target. The built-in checks ({@code TcpCheck}, {@code HttpCheck}, {@code
 * UdpCheck}, {@code CommandCheck}) implement it; so can users, for checks of their own.
 *
 * <p>{@link #run} is called on the engine's scheduler thread and must not block: start the work and
 * return a stage that completes later. The engine counts an attempt as failed if the stage completes
 * exceptionally or does not complete within {@link CheckContext#timeout()}; it then tries to cancel
 * the stage ({@code toCompletableFuture().cancel(true)}) and ignores whatever comes later. The engine
 * never starts an attempt of a target while the previous one of the same target is still pending.
 */
@FunctionalInterface
public interface HealthCheck {

  /** Starts one attempt. */
  CompletionStage<CheckResult> run(CheckContext context);
}
