package io.ha4j.heartbeat;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One heartbeat advertisement, the decoded form of the packet described in the {@linkplain
 * io.ha4j.heartbeat package documentation}.
 *
 * @param clusterId any 32-bit value shared by the members of a cluster
 * @param groupId 1..255, the election group (like a VRRP VRID)
 * @param nodeId the sender
 * @param priority 0..255; 0 means the sender is leaving
 * @param state the sender's role
 * @param interval the sender's advertisement interval, whole milliseconds, 1 ms .. 1 h
 * @param incarnation chosen anew on every start of the sender
 * @param sequence grows by one per advertisement within an incarnation
 * @param vipDigest 32 bytes, SHA-256 of the sender's virtual address set; copied
 */
public record Advertisement(
    int clusterId,
    int groupId,
    NodeId nodeId,
    int priority,
    Role state,
    Duration interval,
    long incarnation,
    long sequence,
    byte[] vipDigest) {

  /** Longest advertisement interval the wire format carries. */
  public static final Duration MAX_INTERVAL = Duration.ofHours(1);

  /** Length of the virtual address digest. */
  public static final int VIP_DIGEST_BYTES = 32;

  public Advertisement {
    if (groupId < 1 || groupId > 255) {
      throw new IllegalArgumentException("groupId must be 1..255, was " + groupId);
    }
    Objects.requireNonNull(nodeId, "nodeId");
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("priority must be 0..255, was " + priority);
    }
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(interval, "interval");
    if (interval.toMillis() < 1 || interval.compareTo(MAX_INTERVAL) > 0
        || !interval.equals(Duration.ofMillis(interval.toMillis()))) {
      throw new IllegalArgumentException("interval must be whole milliseconds in 1 ms .. 1 h, was " + interval);
    }
    Objects.requireNonNull(vipDigest, "vipDigest");
    if (vipDigest.length != VIP_DIGEST_BYTES) {
      throw new IllegalArgumentException("vipDigest must be " + VIP_DIGEST_BYTES + " bytes, was " + vipDigest.length);
    }
    vipDigest = vipDigest.clone();
  }

  @Override
  public byte[] vipDigest() {
    return vipDigest.clone();
  }

  /** Whether the virtual address digest equals {@code other} (32 bytes). */
  public boolean vipDigestEquals(byte[] other) {
    return Arrays.equals(vipDigest, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Advertisement a
        && a.clusterId == clusterId && a.groupId == groupId && a.nodeId.equals(nodeId)
        && a.priority == priority && a.state == state && a.interval.equals(interval)
        && a.incarnation == incarnation && a.sequence == sequence
        && Arrays.equals(a.vipDigest, vipDigest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clusterId, groupId, nodeId, priority, state, interval, incarnation, sequence)
        * 31 + Arrays.hashCode(vipDigest);
  }

  @Override
  public String toString() {
    return "Advertisement[cluster=" + Integer.toUnsignedString(clusterId) + " group=" + groupId
        + " node=" + nodeId + " priority=" + priority + " state=" + state + " interval=" + interval.toMillis()
        + "ms incarnation=" + Long.toHexString(incarnation) + " seq=" + sequence
        + " vips=" + HexFormat.of().formatHex(vipDigest, 0, 4) + "..]";
  }
}
