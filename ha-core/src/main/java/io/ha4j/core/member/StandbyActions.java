package io.ha4j.core.member;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import io.ha4j.api.election.Election;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Carries out a member's {@link StandbyPolicy}: starts a warm standby's application before its
 * take-over and stops it on demotion; activates a cold standby's spare once when too few members
 * live. A hot standby does nothing here. Owned by the member's scheduler thread.
 */
final class StandbyActions {

  /** The member's log, under its name: these are its lines. */
  private final Logger log;

  // Sorted out once: a hot standby's take-over then tests a field, without resolving a class first.
  private final StandbyPolicy.@Nullable Warm warm;
  private final StandbyPolicy.@Nullable Cold cold;
  private final Scheduler scheduler;
  private final EventDelivery events;
  private boolean applicationRunning;
  private boolean spareActivated;

  StandbyActions(StandbyPolicy policy, Scheduler scheduler, EventDelivery events, Logger log) {
    this.log = log;
    this.warm = policy instanceof StandbyPolicy.Warm w ? w : null;
    this.cold = policy instanceof StandbyPolicy.Cold c ? c : null;
    this.scheduler = scheduler;
    this.events = events;
  }

  /** HOT, WARM or COLD, for the member's start line. */
  String mode() {
    return warm != null ? "WARM" : cold != null ? "COLD" : "HOT";
  }

  /** Whether a take-over must wait for {@link #startApplication}: a warm standby's stopped application. */
  boolean startsApplicationFirst() {
    return warm != null && !applicationRunning;
  }

  /**
   * Starts the warm standby's application and runs {@code takeOver} when it has started, failed,
   * or not started within the policy's timeout (a master with a cold application beats no master).
   * A slow start that completes after its timeout runs {@code takeOver} again: it must act once.
   */
  void startApplication(Runnable takeOver) {
    StandbyPolicy.Warm warm = this.warm;
    if (warm == null) {
      takeOver.run();
      return;
    }
    events.emit(new MemberEvent.StandbyAction(events.now(), "start application"));
    CompletionStage<?> stage;
    try {
      stage = warm.application().start();
    } catch (RuntimeException e) {
      events.failure("start the application", e);
      takeOver.run();
      return;
    }
    Cancellable timeout = scheduler.schedule(warm.startTimeout(), () -> {
      log.warn("application did not start within {}; taking the virtual addresses anyway", warm.startTimeout());
      takeOver.run();
    });
    stage.whenComplete((ok, error) -> scheduler.execute(() -> {
      timeout.cancel();
      if (error != null) {
        events.failure("start the application", error);
      } else {
        applicationRunning = true;
      }
      takeOver.run();
    }));
  }

  /** Stops a warm standby's application if it runs. */
  void stopApplication(String reason) {
    StandbyPolicy.Warm warm = this.warm;
    if (warm != null && applicationRunning) {
      applicationRunning = false;
      events.emit(new MemberEvent.StandbyAction(events.now(), "stop application: " + reason));
      try {
        warm.application().stop();
      } catch (RuntimeException e) {
        events.failure("stop the application", e);
      }
    }
  }

  /**
   * A cold standby activates its spare when fewer members than its minimum live, once until
   * enough live again.
   */
  void checkLiveMembers(Election election) {
    StandbyPolicy.Cold cold = this.cold;
    if (cold == null) {
      return;
    }
    int minimum = cold.minimumLiveMembers();
    int live = election.liveMembers();
    if (live < minimum && !spareActivated) {
      spareActivated = true;
      events.emit(new MemberEvent.StandbyAction(events.now(), "activate spare: " + live + " live < " + minimum));
      try {
        cold.spare().activate(live, minimum);
      } catch (RuntimeException e) {
        events.failure("activate a spare", e);
      }
    } else if (live >= minimum) {
      spareActivated = false;
    }
  }
}
