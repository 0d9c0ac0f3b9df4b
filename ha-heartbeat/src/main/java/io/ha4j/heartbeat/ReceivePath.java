package io.ha4j.heartbeat;

import io.ha4j.api.transport.Datagram;
import io.ha4j.heartbeat.internal.ReplayWindow;
import java.util.EnumMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The checks between a received datagram and the election's state machine, in the order of the
 * package documentation ("What a receiver checks"): the wire format's decoding (structure,
 * version, cluster, group, key and digest or checksum), the TTL (RFC 5798 section 7.1), our own
 * node id, the key's retirement, then freshness: the challenge and response of {@link
 * FreshnessProof} for ha4j's format, the replay window for another replay-protected one. Each
 * rejection is counted per {@link DropReason} and dropped, never thrown. It also counts the datagrams handed over and the advertisements accepted, and
 * warns of senders whose virtual address set differs (logged, not dropped: section 7.1), at most
 * once a minute.
 *
 * <p>The checks up to the TTL ({@link #screen}) depend on the datagram alone and run on the
 * receive thread, before the datagram is queued for the election ({@link Intake}, which also
 * tells our own node id from a duplicate one), with a wire format of their own (a codec reuses its
 * MACs and is not thread-safe). The key's retirement and freshness are the election's state,
 * checked under its lock. The counters are thread-safe.
 */
final class ReceivePath {

  /** At most one warning a minute of each kind that a datagram can cause. */
  static final long WARNING_INTERVAL_NANOS = 60_000_000_000L;

  private final Logger log;

  private final WireFormat wireFormat;
  private final byte[] vipDigest;
  private final String name;
  /** Guarded by the election's lock, as is {@link #vipMismatchWarnings}. */
  private final ReplayWindow replay = new ReplayWindow();
  private final LogThrottle vipMismatchWarnings = new LogThrottle(WARNING_INTERVAL_NANOS);
  private final KeyRetirement retirement;
  /** Null for a wire format that cannot prove freshness (VRRP; another format's replay window). */
  private final @Nullable FreshnessProof freshness;

  private final AtomicLong received = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong vipMismatches = new AtomicLong();
  private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);

  ReceivePath(WireFormat wireFormat, byte[] vipDigest, KeyRetirement retirement, @Nullable FreshnessProof freshness,
      String name, Logger log) {
    this.log = log;
    this.retirement = retirement;
    this.freshness = freshness;
    this.wireFormat = wireFormat;
    this.vipDigest = vipDigest;
    this.name = name;
  }

  /** Counts a datagram handed over by the transport. */
  void received() {
    received.incrementAndGet();
  }

  /**
   * The advertisement {@code v} screened from {@code d} carries, if its key is not retired and it
   * is fresh; otherwise null, counted as dropped (or a freshness challenge, answered). Under the
   * election's lock.
   */
  @Nullable Advertisement accept(Datagram d, AdvertisementCodec.Valid v) {
    if (retirement.retired(v.keyId())) {
      drop(DropReason.RETIRED_KEY, d);
      return null;
    }
    Advertisement ad = v.advertisement();
    if (freshness != null) {
      switch (freshness.check(v)) {
        case ADVERTISEMENT -> { }
        case CHALLENGE -> {
          return null; // not an advertisement; answered or ignored, counted by the proof's stats
        }
        case UNPROVEN -> {
          drop(DropReason.UNPROVEN, d);
          return null;
        }
        case BAD_PROOF -> {
          drop(DropReason.BAD_PROOF, d);
          return null;
        }
        case REPLAYED -> {
          drop(DropReason.REPLAYED, d);
          return null;
        }
      }
    } else if (wireFormat.replayProtected() && !replay.accept(ad.nodeId(), ad.incarnation(), ad.sequence())) {
      drop(DropReason.REPLAYED, d);
      return null;
    }
    accepted.incrementAndGet();
    return ad;
  }

  /** Counts (and warns, at most once a minute, of) an accepted advertisement with another VIP set. */
  void compareVipDigest(Advertisement ad, long nowNanos) {
    if (!ad.vipDigestEquals(vipDigest)) {
      vipMismatches.incrementAndGet();
      long held = vipMismatchWarnings.admit(nowNanos);
      if (held >= 0) {
        log.warn("{}: {} advertises a different virtual address set (RFC 5798 section 7.1: logged, not dropped;"
            .concat(" {} more since the last warning)"), name, ad.nodeId(), held);
      }
    }
  }

  /** Counts {@code d} as dropped for {@code reason}. */
  void drop(DropReason reason, Datagram d) {
    dropped.incrementAndGet(reason.ordinal());
    log.trace("{}: dropped datagram from {} ({} bytes): {}", name, d.source(), d.payload().remaining(), reason);
  }

  /** Counts {@code d} as dropped after handling it failed unexpectedly, and logs why. */
  void failed(Datagram d, RuntimeException e) {
    drop(DropReason.INTERNAL_ERROR, d);
    log.error("{}: handling a datagram from {} failed", name, d.source(), e);
  }

  /** The counters, with the election's {@code sent}, {@code stalls} and {@code duplicateNodeIds}. */
  HeartbeatStats stats(long sent, long stalls, long duplicateNodeIds) {
    EnumMap<DropReason, Long> d = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      d.put(r, dropped.get(r.ordinal()));
    }
    return new HeartbeatStats(received.get(), accepted.get(), d, sent, vipMismatches.get(), stalls, duplicateNodeIds);
  }

  /** Decoding with {@code format} and the TTL: what needs nothing but the datagram. */
  AdvertisementCodec.@Nullable Valid screen(Datagram d, WireFormat format) {
    AdvertisementCodec.Decoded decoded = format.decode(d);
    if (decoded instanceof AdvertisementCodec.Rejected r) {
      drop(r.reason(), d);
      return null;
    }
    AdvertisementCodec.Valid v = (AdvertisementCodec.Valid) decoded;
    if (d.ttl() >= 0 && d.ttl() != 255) {
      drop(DropReason.BAD_TTL, d);
      return null;
    }
    return v;
  }
}
