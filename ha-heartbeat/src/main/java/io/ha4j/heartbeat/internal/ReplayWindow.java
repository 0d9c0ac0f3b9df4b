package io.ha4j.heartbeat.internal;

import io.ha4j.api.NodeId;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers, per sender, the newest incarnation and the highest sequence number accepted in it.
 * Only authenticated packets reach it, so its size is bounded by the number of real members.
 */
public final class ReplayWindow {

  private record Newest(long incarnation, long sequence) {}

  private final Map<NodeId, Newest> newest = new HashMap<>();

  /**
   * Accepts and records {@code (incarnation, sequence)} from {@code sender} if it is newer than
   * everything accepted from it before: a newer incarnation (a restart), or a higher sequence in
   * the same incarnation. Incarnations compare as signed 64-bit values.
   *
   * @return false for a replayed or reordered packet
   */
  public boolean accept(NodeId sender, long incarnation, long sequence) {
    Newest n = newest.get(sender);
    if (n != null && (incarnation < n.incarnation || (incarnation == n.incarnation && sequence <= n.sequence))) {
      return false;
    }
    newest.put(sender, new Newest(incarnation, sequence));
    return true;
  }
}
