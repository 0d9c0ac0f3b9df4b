package io.ha4j.heartbeat;

import io.ha4j.api.Clock;
import io.ha4j.api.Role;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * RFC 5798 section 6.4.3, Master: a master advertises every Advertisement_Interval and steps down
 * for a master that wins over it. Beyond the RFC, it heals a split brain: a lower-priority master
 * heard is answered at once and the addresses are announced again, as they are when a former
 * master's step-down notice arrives (keepalived issues #14, #2459), at most once per advertisement
 * interval. Guarded by the election's lock.
 */
final class MasterState implements ElectionState {

  private final Logger log;

  private final HeartbeatConfig config;
  private final Clock clock;
  private final WireFormat wireFormat;
  private final ElectionTimer timer;
  private final TrackedPriority tracked;
  private final Advertiser advertiser;
  private final ListenerDispatch listeners;
  private final StallGuard stalls;
  private final BackupState backup;
  private final Consumer<String> stepDown;
  private final String name;

  private boolean reannounced;
  private long lastReannounceNanos;

  /** A master that steps down through {@code stepDown} (with the reason) into {@code backup}. */
  MasterState(HeartbeatConfig config, Clock clock, WireFormat wireFormat, ElectionTimer timer, TrackedPriority tracked,
      Advertiser advertiser, ListenerDispatch listeners, StallGuard stalls, BackupState backup,
      Consumer<String> stepDown, String name, Logger log) {
    this.log = log;
    this.config = config;
    this.clock = clock;
    this.wireFormat = wireFormat;
    this.timer = timer;
    this.tracked = tracked;
    this.advertiser = advertiser;
    this.listeners = listeners;
    this.stalls = stalls;
    this.backup = backup;
    this.stepDown = stepDown;
    this.name = name;
  }

  /** "Send an ADVERTISEMENT, Reset the Adver_Timer to Advertisement_Interval". */
  void advertise() {
    advertiser.send(tracked.effective(), Role.MASTER);
    timer.arm(config.advertisementInterval().toNanos());
  }

  @Override
  public void shutdown() {
    // "If a Shutdown event is received, then: Cancel the Adver_Timer, Send an ADVERTISEMENT with
    // Priority = 0"
    timer.cancel();
    advertiser.send(0, Role.INIT);
  }

  /** "If the Adver_Timer fires". */
  @Override
  public void timerExpired(long lateNanos) {
    if (stalls.stalled(lateNanos, VrrpElection.masterDownNanos(tracked.effective(), backup.masterAdverNanos()))) {
      log.warn("{}: advertisement timer fired {} ms late (stall: GC pause or VM steal?)", name, lateNanos / 1_000_000);
    }
    advertise();
  }

  @Override
  public void received(Advertisement ad, long queuedNanos) {
    int priority = tracked.effective();
    if (ad.state() != Role.MASTER && ad.priority() != 0) {
      // A master that stepped down for us: it owned the addresses until now, so neighbours may
      // still send to it (the other half of a healed split brain).
      reannounce(ad.nodeId() + " (priority " + ad.priority() + ") stepped down from master for us");
      return;
    }
    if (ad.priority() == 0) {
      // "If the Priority in the ADVERTISEMENT is zero, then: Send an ADVERTISEMENT, Reset the Adver_Timer"
      advertise();
      return;
    }
    if (ad.priority() > priority
        || (ad.priority() == priority && winsTie(ad))) {
      // "Cancel Adver_Timer, Set Master_Adver_Interval to Adver Interval contained in the
      // ADVERTISEMENT, Recompute the Master_Down_Interval, Set Master_Down_Timer, Transition to Backup"
      backup.follow(ad);
      stepDown.accept((ad.priority() > priority ? "higher priority " : "equal priority, higher node id, ")
          + ad.priority() + " from " + ad.nodeId());
      // Step-down notice: tells the new master that we held the addresses (healed split brain).
      advertiser.send(priority, Role.BACKUP);
      return;
    }
    // RFC 5798 says discard. Two masters means a split brain just healed: make the other one step
    // down now, and have our addresses announced again. Once per advertisement interval: after a
    // pause, a burst of queued adverts must not become a burst of answers and announcements.
    if (reannouncedRecently()) {
      return;
    }
    advertise();
    reannounce("lower-priority master " + ad.nodeId() + " (priority " + ad.priority() + ") heard");
  }

  /** Whether {@code ad}'s sender wins a tie of priorities against us. */
  private boolean winsTie(Advertisement ad) {
    if (ad.nodeId().equals(config.nodeId())) {
      // A duplicate node id (DuplicateNodeIds): the ids tie, so the incarnations decide, the
      // same way on both members, and the pair ends with one master.
      return Long.compare(ad.incarnation(), advertiser.incarnation()) > 0;
    }
    return wireFormat.winsTie(ad.nodeId(), config.nodeId());
  }

  /**
   * The next re-announcement goes out even within an interval of the last: another host claimed
   * our address since, so the neighbours may point at it now (issue 17 item 2).
   */
  void allowReannounce() {
    reannounced = false;
  }

  private boolean reannouncedRecently() {
    return reannounced && clock.nanoTime() - lastReannounceNanos < config.advertisementInterval().toNanos();
  }

  private void reannounce(String why) {
    if (reannouncedRecently()) {
      return;
    }
    reannounced = true;
    lastReannounceNanos = clock.nanoTime();
    log.info("{}: {}; re-announcing", name, why);
    listeners.reannounce(why);
  }
}
