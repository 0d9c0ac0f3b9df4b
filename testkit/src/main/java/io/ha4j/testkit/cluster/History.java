package io.ha4j.testkit.cluster;

import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.health.HealthState;
import io.ha4j.api.table.TableOp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What happened in a cluster over virtual time: faults, role changes, effective priorities,
 * virtual address ownership, health-check verdicts on the real servers and load-balancer table
 * changes, in the order they happened. {@link
 * Invariant}s are checked over it; {@link #render()} is a deterministic text form (the same seed
 * and scenario give the same text, byte for byte).
 *
 * <p>A user who runs a cluster of their own can record a history with {@link #record} and check
 * it with the same invariants. Times are nanoseconds of one timeline that starts at 0 when the
 * members start.
 */
public final class History {

  /** One thing that happened. */
  public sealed interface Event {
    /** When, in nanoseconds since the start. */
    long atNanos();

    /** The text form, without the time. */
    String text();
  }

  /** A fault was injected. */
  public record FaultApplied(long atNanos, Fault fault) implements Event {
    public FaultApplied {
      Objects.requireNonNull(fault, "fault");
    }

    @Override
    public String text() {
      return "fault " + fault.text();
    }
  }

  /** A stalled member runs again. */
  public record StallEnded(long atNanos, String node) implements Event {
    public StallEnded {
      Objects.requireNonNull(node, "node");
    }

    @Override
    public String text() {
      return node + " resumes";
    }
  }

  /** A member's election changed role. */
  public record RoleChanged(long atNanos, String node, Role from, Role to, String reason) implements Event {
    public RoleChanged {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String text() {
      return node + " " + from + " -> " + to + " (" + reason + ")";
    }
  }

  /** A member's effective priority is now {@code priority} (also recorded at every start). */
  public record PriorityChanged(long atNanos, String node, int priority) implements Event {
    public PriorityChanged {
      Objects.requireNonNull(node, "node");
    }

    @Override
    public String text() {
      return node + " priority " + priority;
    }
  }

  /** A virtual address was added on a member's host. */
  public record AddressAdded(long atNanos, String node, VirtualAddress address) implements Event {
    public AddressAdded {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(address, "address");
    }

    @Override
    public String text() {
      return node + " + " + address.address().getHostAddress() + "/" + address.prefixLength();
    }
  }

  /** A virtual address was removed from a member's host (released, or gone with a crash). */
  public record AddressRemoved(long atNanos, String node, VirtualAddress address) implements Event {
    public AddressRemoved {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(address, "address");
    }

    @Override
    public String text() {
      return node + " - " + address.address().getHostAddress() + "/" + address.prefixLength();
    }
  }

  /**
   * A member changed its load-balancer table.
   *
   * @param ops the ops that succeeded, in the operator's words ({@link TableOp#describe()}), {@code
   *     "; "} between two
   * @param applied the same ops as values, for checkers (empty when recorded from text alone)
   */
  public record TableChanged(long atNanos, String node, String ops, List<TableOp> applied) implements Event {
    public TableChanged {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(ops, "ops");
      applied = List.copyOf(Objects.requireNonNull(applied, "applied"));
    }

    /** A change known only by its text. */
    public TableChanged(long atNanos, String node, String ops) {
      this(atNanos, node, ops, List.of());
    }

    @Override
    public String text() {
      return node + " table " + ops;
    }
  }

  /**
   * A member's health checks changed their verdict on a real server (the first verdict after a
   * start too: UNKNOWN to UP).
   */
  public record HealthChanged(
      long atNanos, String node, String realServer, HealthState from, HealthState to, String detail) implements Event {
    public HealthChanged {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(realServer, "realServer");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String text() {
      return node + " health " + realServer + " " + from + " -> " + to + " (" + detail + ")";
    }
  }

  private final ClusterConfig cluster;
  private final List<Event> events = new ArrayList<>();
  private long endNanos;

  /** An empty history of {@code cluster}. */
  public History(ClusterConfig cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
  }

  /** The cluster this is the history of. */
  public ClusterConfig cluster() {
    return cluster;
  }

  /**
   * Appends {@code event}.
   *
   * @throws IllegalArgumentException if it lies before the last event
   */
  public void record(Event event) {
    Objects.requireNonNull(event, "event");
    if (event.atNanos() < endNanos) {
      throw new IllegalArgumentException("event " + event + " lies before the end of the history " + endNanos);
    }
    events.add(event);
    endNanos = event.atNanos();
  }

  /** Marks how far the history reaches: nothing happened up to {@code atNanos} after the last event. */
  public void end(long atNanos) {
    if (atNanos < endNanos) {
      throw new IllegalArgumentException("end " + atNanos + " lies before the last event at " + endNanos);
    }
    endNanos = atNanos;
  }

  /** The events, in order. */
  public List<Event> events() {
    return Collections.unmodifiableList(events);
  }

  /** The time of the last event or {@link #end}. */
  public long endNanos() {
    return endNanos;
  }

  /** One line per event: {@code 12.345678s n1 BACKUP -> MASTER (master-down timer expired)}. */
  public String render() {
    StringBuilder b = new StringBuilder("# ").append(cluster.text()).append('\n');
    for (Event e : events) {
      b.append(time(e.atNanos())).append(' ').append(e.text()).append('\n');
    }
    return b.append(time(endNanos)).append(" end\n").toString();
  }

  /** Seconds with microseconds, e.g. {@code 12.345678s}. */
  static String time(long nanos) {
    long micros = nanos / 1_000;
    return String.format(java.util.Locale.ROOT, "%d.%06ds", micros / 1_000_000, micros % 1_000_000);
  }

  @Override
  public String toString() {
    return render();
  }
}
