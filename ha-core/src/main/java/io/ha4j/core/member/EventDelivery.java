package io.ha4j.core.member;

import io.ha4j.api.Clock;
import io.ha4j.api.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * A member's events on their way to its listeners: delivered at once, or, during a take-over, held
 * back and delivered in order once its gratuitous ARPs and the election's first advertisement as
 * master are out. The listeners (a log line, a meter) may be slow the first time; every client and
 * every other backup waits for the take-over, nobody for its events. Used on the member's
 * scheduler thread; listeners may be added from any thread.
 */
final class EventDelivery {

  /** The member's log, under its name: these are its lines. */
  private final Logger log;

  private final NodeId node;
  private final Clock clock;
  private final List<MemberListener> listeners = new CopyOnWriteArrayList<>();
  private @Nullable List<MemberEvent> held;

  EventDelivery(NodeId node, Clock clock, List<MemberListener> listeners, Logger log) {
    this.log = log;
    this.node = Objects.requireNonNull(node, "node");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listeners.addAll(listeners);
  }

  void addListener(MemberListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The clock reading to stamp an event with. */
  long now() {
    return clock.nanoTime();
  }

  /** Holds back the events from now on, until {@link #releaseHeld}; no-op while already holding. */
  void holdBack() {
    if (held == null) {
      held = new ArrayList<>();
    }
  }

  /** Delivers the events held back, in the order they came, and delivers the next ones at once. */
  void releaseHeld() {
    List<MemberEvent> events = held;
    held = null;
    if (events != null) {
      for (MemberEvent e : events) {
        emit(e);
      }
    }
  }

  /** Delivers {@code event} to every listener, or holds it back during a take-over. */
  void emit(MemberEvent event) {
    List<MemberEvent> h = held;
    if (h != null) {
      h.add(event);
      return;
    }
    for (MemberListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("member listener failed on {}", event, e);
      }
    }
  }

  /** Logs and reports something the member failed to do and carries on from. */
  void failure(String what, Throwable error) {
    log.warn("member {}: cannot {}: {}", node, what, error.toString());
    emit(new MemberEvent.Failure(now(), what, error));
  }
}
