package io.ha4j.heartbeat;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When each member, and the last live master, were heard: what an election knows of the others
 * beyond its state (whether a master is known, how many members are alive). Guarded by the
 * election's lock.
 *
 * <p>Bounded ({@link #MAX_MEMBERS}): with VRRPv3, which has no authentication, a node id is the
 * source address of a packet anyone can forge, and a flood of forged sources must not grow the
 * heap; past the bound the member heard least recently is forgotten first (issue 16 item 14).
 */
final class HeardMembers {

  /** More members than a VRRP group can have (255 routers per VRID). */
  static final int MAX_MEMBERS = 256;

  /** In the order last heard, oldest first. */
  private final Map<NodeId, Long> heardAt = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<NodeId, Long> eldest) {
      return size() > MAX_MEMBERS;
    }
  };
  private long lastMasterHeardNanos;
  private long lastMasterAdverNanos;

  /** Records {@code ad}, received at {@code heardNanos} on the election's clock. */
  void heard(Advertisement ad, long heardNanos) {
    heardAt.remove(ad.nodeId());
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
