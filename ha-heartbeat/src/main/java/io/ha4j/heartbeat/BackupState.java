package io.ha4j.heartbeat;

import io.ha4j.api.Clock;
import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import java.net.InetAddress;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * RFC 5798 section 6.4.2, Backup: a backup follows the master's advertisements with its
 * Master_Down_Timer and, when the timer expires, is promoted to master. Beyond the RFC: the
 * preempt delay after a start, the stall guard on a late timer, the time the lost master was
 * last heard (for the fail-over's measure), and the hand-over from a followed master whose
 * priority fell below ours after the skew time. Guarded by the election's lock.
 */
final class BackupState implements ElectionState {

  private final Logger log;
  private static final String MASTER_DOWN = "master-down timer expired";

  private final HeartbeatConfig config;
  private final Clock clock;
  private final ElectionTimer timer;
  private final TrackedPriority tracked;
  private final HeardMembers heard;
  private final Promotion promotion;
  private final StallGuard stalls;
  private final Consumer<String> promote;
  private final @Nullable FreshnessProof freshness;
  private final String name;

  private long masterAdverNanos;
  private String masterDownReason = MASTER_DOWN;
  /** When the master this member is taking over from was last heard; empty unless it fell silent or left. */
  private OptionalLong lostMasterHeardAt = OptionalLong.empty();
  private long preemptAllowedAtNanos;
  /** The master whose advertisements last reset the Master_Down_Timer; null before the first. */
  private @Nullable NodeId followed;

  /** A backup whose master-down timer ends in {@code promote} (with the reason). */
  BackupState(HeartbeatConfig config, Clock clock, ElectionTimer timer, TrackedPriority tracked, HeardMembers heard,
      Promotion promotion, StallGuard stalls, Consumer<String> promote, @Nullable FreshnessProof freshness, String name,
      Logger log) {
    this.log = log;
    this.config = config;
    this.clock = clock;
    this.timer = timer;
    this.tracked = tracked;
    this.heard = heard;
    this.promotion = promotion;
    this.stalls = stalls;
    this.promote = promote;
    this.freshness = freshness;
    this.name = name;
    this.masterAdverNanos = config.advertisementInterval().toNanos();
  }

  /** Master_Adver_Interval: the advertisement interval of the master followed, or ours. */
  long masterAdverNanos() {
    return masterAdverNanos;
  }

  /** Section 6.4.1, for a start or the end of a FAULT: no preemption for the preempt delay. */
  void startPreemptDelay() {
    preemptAllowedAtNanos = clock.nanoTime() + config.preemptDelay().toNanos();
  }

  /** Section 6.4.1: "Set Master_Adver_Interval to Advertisement_Interval". */
  void resetMasterAdverInterval() {
    masterAdverNanos = config.advertisementInterval().toNanos();
  }

  /** Section 6.4.1: "Set the Master_Down_Timer to Master_Down_Interval". */
  void armMasterDownTimer() {
    arm(VrrpElection.masterDownNanos(tracked.effective(), masterAdverNanos), MASTER_DOWN);
  }

  /**
   * Section 6.4.3, a master stepping down for {@code ad}'s sender: "Set Master_Adver_Interval to
   * Adver Interval contained in the ADVERTISEMENT, Recompute the Master_Down_Interval, Set
   * Master_Down_Timer to Master_Down_Interval".
   */
  void follow(Advertisement ad) {
    followed = ad.nodeId();
    masterAdverNanos = ad.interval().toNanos();
    armMasterDownTimer();
  }

  /** When the master being replaced was last heard, if it was lost; forgets it. */
  OptionalLong takeLostMaster() {
    OptionalLong lost = lostMasterHeardAt;
    forgetLostMaster();
    return lost;
  }

  /** Forgets the lost master: this member is not taking over from it. */
  void forgetLostMaster() {
    lostMasterHeardAt = OptionalLong.empty();
  }

  @Override
  public void shutdown() {
    // "If a Shutdown event is received, then: Cancel the Master_Down_Timer"
    timer.cancel();
    promotion.abort("stopped");
  }

  @Override
  public void received(Advertisement ad, long queuedNanos) {
    if (ad.state() != Role.MASTER && ad.priority() != 0) {
      return; // a step-down notice from a former master: only the master acts on it
    }
    int priority = tracked.effective();
    if (ad.priority() == 0) {
      if (!promotion.running()) {
        // "If the Priority in the ADVERTISEMENT is zero, then: Set the Master_Down_Timer to Skew_Time"
        arm(VrrpElection.skewNanos(priority, masterAdverNanos),
            "master " + ad.nodeId() + " left (priority 0), skew time passed");
        lostMasterHeardAt = OptionalLong.of(clock.nanoTime());
        log.debug("{}: master {} is leaving; taking over after the skew time", name, ad.nodeId());
      }
      return;
    }
    boolean preempt = (config.preempt() || priority == HeartbeatConfig.OWNER_PRIORITY)
        && clock.nanoTime() - preemptAllowedAtNanos >= 0;
    if (!preempt || ad.priority() >= priority) {
      // "Set Master_Adver_Interval to Adver Interval contained in the ADVERTISEMENT, Recompute the
      // Master_Down_Interval, Reset the Master_Down_Timer to Master_Down_Interval"
      promotion.abort("master " + ad.nodeId() + " (priority " + ad.priority() + ") heard");
      forgetLostMaster();
      followed = ad.nodeId();
      masterAdverNanos = ad.interval().toNanos();
      arm(VrrpElection.masterDownNanos(priority, masterAdverNanos) - queuedNanos, MASTER_DOWN);
    } else if (!promotion.running() && ad.nodeId().equals(followed)
        && timer.armExactWithin(VrrpElection.skewNanos(priority, ad.interval().toNanos()) - queuedNanos)) {
      // RFC 5798 says "Discard the ADVERTISEMENT" and lets the Master_Down_Timer run out (264 ms at
      // 0.1 s adverts). The master we followed now advertises a priority below ours: a tracked
      // object lowered it, and we preempt it anyway. Take over after the skew time, as for a
      // priority-0 notice, so that the highest of several preempting backups goes first (issue 17
      // item 3). The master keeps the addresses until our advertisement makes it step down. Any
      // other lower-priority master (one across a partition, or one we never followed) is
      // discarded as the RFC says: the master we follow may still be alive.
      masterDownReason = "master " + ad.nodeId() + " advertises priority " + ad.priority()
          + ", below ours; preempting after the skew time";
      log.info("{}: master {} advertises priority {} below ours ({}); taking over after the skew time",
          name, ad.nodeId(), ad.priority(), priority);
    }
  }

  /**
   * The death witness saw the master's process die (its kernel closed the witness connection
   * without a goodbye and refused a new one). As after a priority-0 advertisement, the
   * master-down timer is set short: to the witness stagger, {@code (255 - priority) *}
   * {@link HeartbeatConfig#witnessStagger()}, so that the highest priority goes first and the
   * others hear it as master (which re-arms their timer) before theirs runs out. No stagger when
   * the only unicast peer is that master: no other backup can exist.
   */
  void masterProcessDied(NodeId master) {
    if (promotion.running()) {
      return;
    }
    // The stagger lets the best of several backups go first. With one unicast peer, the dead
    // master, there is no other backup to wait for: 7.75 ms saved at priority 100.
    Set<InetAddress> peers = config.unicastPeers();
    long stagger = peers != null && peers.size() == 1 ? 0
        : (HeartbeatConfig.OWNER_PRIORITY - tracked.effective()) * config.witnessStagger().toNanos();
    arm(stagger, "master " + master + "'s process died (death witness), stagger passed");
    long last = heard.lastMasterHeardNanos();
    lostMasterHeardAt = OptionalLong.of(last > 0 ? last : clock.nanoTime());
    log.debug("{}: master {}'s process died; taking over in {} us unless a new master announces", name, master,
        stagger / 1000);
  }

  /** "If the Master_Down_Timer fires": the take-over, unless this process stood still. */
  @Override
  public void timerExpired(long lateNanos) {
    if (promotion.running()) {
      return;
    }
    if (stalls.stalled(lateNanos, VrrpElection.masterDownNanos(tracked.effective(), masterAdverNanos))) {
      log.warn("{}: master-down timer fired {} ms late (stall: GC pause or VM steal?); "
              + "re-checking for one advertisement interval before taking over",
          name, lateNanos / 1_000_000);
      timer.armExact(masterAdverNanos);
      return;
    }
    FreshnessProof f = freshness;
    long waitUntil = f == null ? Long.MIN_VALUE : f.takeOverWaitsUntil(tracked.effective());
    if (waitUntil != Long.MIN_VALUE) {
      log.debug("{}: master-down timer expired while a master's freshness proof is due; waiting {} us for it",
          name, (waitUntil - clock.nanoTime()) / 1000);
      timer.armExact(waitUntil - clock.nanoTime());
      return;
    }
    // A preempting backup also gets here, while the lower-priority master it overrides still
    // advertises: only a master silent for more than an advertisement interval was lost.
    long lastMaster = heard.lastMasterHeardNanos();
    if (lostMasterHeardAt.isEmpty() && lastMaster > 0 && clock.nanoTime() - lastMaster > masterAdverNanos) {
      lostMasterHeardAt = OptionalLong.of(lastMaster);
    }
    promote.accept(masterDownReason);
  }

  private void arm(long nanos, String reason) {
    timer.armExact(nanos);
    masterDownReason = reason;
  }
}
