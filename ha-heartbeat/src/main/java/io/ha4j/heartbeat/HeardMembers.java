package io.ha4j.heartbeat;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import java.util.HashMap;
import java.util.Map;

/**
 * When each member, and the last live master, were heard: what an election knows of the others
 * beyond its state (whether a master is known, how many members are alive). Guarded by the
 * election's lock.
 */
final class HeardMembers {

  private final Map<NodeId, Long> heardAt = new HashMap<>();
  private long lastMasterHeardNanos;
  private long lastMasterAdverNanos;

  /** Records {@code ad}, received at {@code heardNanos} on the election's clock. */
  void heard(Advertisement ad, long heardNanos) {
    heardAt.put(ad.nodeId(), heardNanos);
    if (ad.state() == Role.MASTER && ad.priority() > 0) {
      lastMasterHeardNanos = heardNanos;
      lastMasterAdverNanos = ad.interval().toNanos();
    }
  }

  /** When a live master was last heard; 0 if never. */
  long lastMasterHeardNanos() {
    return lastMasterHeardNanos;
  }

  /**
   * A live master was heard within the master-down interval (for {@code priority}) of its own
   * advertisement interval before {@code nowNanos}.
   */
  boolean masterHeardWithin(long nowNanos, int priority) {
    return lastMasterAdverNanos > 0
        && nowNanos - lastMasterHeardNanos <= VrrpElection.masterDownNanos(priority, lastMasterAdverNanos);
  }

  /** This member plus those heard within {@code windowNanos} before {@code nowNanos}. */
  int liveMembers(long nowNanos, long windowNanos) {
    heardAt.values().removeIf(t -> nowNanos - t > windowNanos);
    return 1 + heardAt.size();
  }
}
