package io.ha4j.heartbeat.witness;

import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.WitnessStats;
import java.util.EnumMap;
import java.util.Map;

/** The witness's counters, guarded by the election's lock ({@link WitnessStats} names them). */
final class Counters {
  long connections;
  long watching;
  long goodbyes;
  long unannouncedCloses;
  long probes;
  long refused;
  long conclusions;
  long accepted;
  private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);

  void dropped(DropReason reason) {
    dropped.merge(reason, 1L, Long::sum);
  }

  WitnessStats snapshot() {
    return new WitnessStats(connections, watching, goodbyes, unannouncedCloses, probes, refused, conclusions,
        accepted, dropped);
  }
}
