package io.ha4j.heartbeat;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A master's probe of its peers after another host claimed one of its addresses (issue 17 item 2):
 * its normal, authenticated advertisement every {@link #PERIOD}, on the election's scheduler, until
 * a peer's advertisement arrives ({@link #stop}) or the member is no longer master; after {@link
 * #WINDOW} without a conflict, only every {@link #LATE_PERIOD}.
 *
 * <p>Why: a claim by another MAC while we are master is a split brain whose election traffic is
 * blocked (a firewall dropping protocol 112 or the heartbeat port) while ARP flows. The heal is
 * noticed when an advertisement first crosses; probing makes that within a period of the heal
 * rather than within an advertisement interval, and the existing split-brain rule does the rest (the
 * lower-priority master steps down, the winner re-announces). A firewall is often fixed minutes
 * later, long after the other master's last claim, so the probe does not end with the window; it
 * slows down, which bounds what a host that claims our address for good (a misconfiguration, not
 * a peer) costs: {@code 1 s / LATE_PERIOD} small datagrams a second while we are master, each
 * heal still noticed within {@code LATE_PERIOD}.
 *
 * <p>Guarded by the election's lock.
 */
final class PeerProbe {

  /** Between two probes. */
  static final Duration PERIOD = Duration.ofMillis(10);
  /** How long after the last conflict probing goes on every {@link #PERIOD}. */
  static final Duration WINDOW = Duration.ofSeconds(10);
  /** Between two probes after the window, until an answer. */
  static final Duration LATE_PERIOD = Duration.ofMillis(50);
  private static final long LATE_EVERY = LATE_PERIOD.dividedBy(PERIOD);

  private final Scheduler scheduler;
  private final Object lock;
  private final BooleanSupplier master;
  private final Runnable advertise;
  private @Nullable Cancellable task;
  private long deadlineNanos;
  private long sent;
  private long ticks;

  /**
   * Probes through {@code advertise} (one advertisement) while {@code master} holds, both called
   * under {@code lock} (the election's).
   */
  PeerProbe(Scheduler scheduler, Object lock, BooleanSupplier master, Runnable advertise) {
    this.scheduler = scheduler;
    this.lock = lock;
    this.master = master;
    this.advertise = advertise;
  }

  /** Probes every {@link #PERIOD} for {@link #WINDOW} from now, then slower, until an answer; returns whether it was not probing already. */
  boolean start() {
    deadlineNanos = scheduler.clock().nanoTime() + WINDOW.toNanos();
    if (task != null) {
      return false;
    }
    task = scheduler.scheduleAtFixedRate(Duration.ZERO, PERIOD, this::probe);
    return true;
  }

  /** A peer's advertisement arrived: the path is open, the normal interval will do. */
  void stop() {
    Cancellable t = task;
    if (t != null) {
      t.cancel();
      task = null;
    }
  }

  /** Probes sent so far. */
  long sent() {
    return sent;
  }

  private void probe() {
    synchronized (lock) {
      if (task == null) {
        return;
      }
      if (!master.getAsBoolean()) {
        stop();
        return;
      }
      if (ticks++ % LATE_EVERY != 0 && scheduler.clock().nanoTime() - deadlineNanos >= 0) {
        return;
      }
      advertise.run();
      sent++;
    }
  }
}
