package io.ha4j.heartbeat;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** Why a received datagram was dropped without changing the election's state. */
public enum DropReason {
  /** Too short or too long, wrong magic, bad node id length, non-zero reserved bits, bad field. */
  MALFORMED,
  /** A version this implementation does not speak. */
  UNSUPPORTED_VERSION,
  /** Sent by a member of another cluster. */
  OTHER_CLUSTER,
  /** Sent for another election group of this cluster. */
  OTHER_GROUP,
  /** Signed with a key id that is not configured here. */
  UNKNOWN_KEY,
  /** The HMAC does not match: forged, corrupted, or signed with another secret. */
  BAD_DIGEST,
  /** The IP TTL / hop limit was not 255: the packet was routed (RFC 5798 section 7.1). */
  BAD_TTL,
  /** Carries our own node id: our own multicast looped back, or a misconfigured peer. */
  OWN_NODE_ID,
  /**
   * A sequence number that did not grow within the sender's proven incarnation (or, for a
   * replay-protected format without freshness proofs, an incarnation older than the newest seen).
   */
  REPLAYED,
  /** Arrived while the election was not running (INIT). */
  NOT_RUNNING,
  /** Handling it failed unexpectedly; logged with its stack trace. Should stay zero. */
  INTERNAL_ERROR,
  /** An unauthenticated format's checksum (VRRPv3, RFC 5798 section 5.2.8) does not match. */
  BAD_CHECKSUM,
  /**
   * An advertisement of an incarnation this receiver has not seen proven fresh yet (a new or
   * restarted sender, or a replayed capture): held back while the sender is challenged.
   */
  UNPROVEN,
  /** A response to a freshness challenge of ours that echoes no nonce we have outstanding: a replay. */
  BAD_PROOF,
  /** Signed with a key that was retired ({@link VrrpElection#retireKey}). */
  RETIRED_KEY,
  /**
   * Unicast only: the source address is none of the configured peers' (checked on the receive
   * thread, before anything is decoded or queued).
   */
  UNKNOWN_SOURCE,
  /** The bounded queue between the receive thread and the election was full (a flood). */
  QUEUE_FULL;

  /** {@code counts} with every reason present (zero where it had none), unmodifiable. */
  static Map<DropReason, Long> everyReason(Map<DropReason, Long> counts) {
    Objects.requireNonNull(counts, "dropped");
    EnumMap<DropReason, Long> all = new EnumMap<>(DropReason.class);
    for (DropReason r : values()) {
      all.put(r, counts.getOrDefault(r, 0L));
    }
    return Collections.unmodifiableMap(all);
  }
}
