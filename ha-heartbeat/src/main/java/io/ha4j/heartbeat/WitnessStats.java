package io.ha4j.heartbeat;

import java.util.Map;

/**
 * A snapshot of the death witness's counters (package {@code io.ha4j.heartbeat.witness}); all
 * zero when the election runs without one.
 *
 * @param connections connections a backup opened to its master's witness endpoint
 * @param watching of these, how many the master answered with an authenticated hello as master
 * @param goodbyes authenticated goodbyes heard before a master's close (nothing is concluded)
 * @param unannouncedCloses closes (end of stream or reset) of a watched master without a goodbye
 * @param probes probes sent to confirm such a close
 * @param refused probes the master's kernel refused: its process died
 * @param conclusions deaths concluded, each handed to the election as a take-over after the stagger
 * @param accepted connections accepted at this member's own witness endpoint
 * @param dropped messages dropped per reason (every reason present, zero if none)
 */
public record WitnessStats(long connections, long watching, long goodbyes, long unannouncedCloses, long probes,
    long refused, long conclusions, long accepted, Map<DropReason, Long> dropped) {

  /** Nothing counted: an election without a witness. */
  public static final WitnessStats NONE = new WitnessStats(0, 0, 0, 0, 0, 0, 0, 0, Map.of());

  public WitnessStats {
    dropped = DropReason.everyReason(dropped);
  }

  /** Messages dropped for {@code reason}. */
  public long dropped(DropReason reason) {
    return dropped.getOrDefault(reason, 0L);
  }
}
