package io.ha4j.heartbeat;

import java.util.Map;

/**
 * A snapshot of an election's counters.
 *
 * @param received datagrams the transport handed over (before any screening)
 * @param accepted authenticated, fresh advertisements that reached the state machine (with the
 *     VRRPv3 wire format, which has neither: well-formed ones of our VRID with TTL 255)
 * @param dropped rejected datagrams per reason (every reason present, zero if none)
 * @param sent advertisements sent (one per destination counts once; none when the wire format
 *     cannot express it, such as VRRPv3 and a step-down notice)
 * @param vipMismatches accepted advertisements whose virtual address digest differs from ours
 * @param stalls timers that fired later than the stall threshold
 * @param duplicateNodeIds accepted advertisements under our own node id that another member sent
 *     (two members configured with one id; logged at ERROR)
 */
public record HeartbeatStats(long received, long accepted, Map<DropReason, Long> dropped, long sent,
    long vipMismatches, long stalls, long duplicateNodeIds) {

  /** Counters without duplicate node ids. */
  public HeartbeatStats(
      long received, long accepted, Map<DropReason, Long> dropped, long sent, long vipMismatches, long stalls) {
    this(received, accepted, dropped, sent, vipMismatches, stalls, 0);
  }

  public HeartbeatStats {
    dropped = DropReason.everyReason(dropped);
  }

  /** Datagrams dropped for {@code reason}. */
  public long dropped(DropReason reason) {
    return dropped.getOrDefault(reason, 0L);
  }

  /** Datagrams dropped for any reason. */
  public long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }
}
