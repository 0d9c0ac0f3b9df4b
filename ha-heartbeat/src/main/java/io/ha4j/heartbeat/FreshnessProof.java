package io.ha4j.heartbeat;

import io.ha4j.api.Clock;
import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.transport.DatagramTransport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Decides which incarnation of each sender counts, by challenge and response (package
 * documentation, "Freshness"): an advertisement of an incarnation not proven here is held back
 * and its sender is sent a fresh random nonce; the sender's signed answer echoing it proves that
 * the sender is alive now, and its incarnation replaces whatever this receiver knew. Within a
 * proven incarnation sequence numbers must grow. It also answers the challenges sent to us. A
 * replayed capture cannot echo a nonce it has never seen, and no incarnation, however large, can
 * lock a live sender out. Guarded by the election's lock.
 */
final class FreshnessProof {

  /** What a received advertisement, challenge or response is for the election. */
  enum Verdict {
    /** A fresh advertisement: hand it to the state machine. */
    ADVERTISEMENT,
    /** A challenge (answered if it is ours to answer); nothing for the state machine. */
    CHALLENGE,
    /** Dropped as {@link DropReason#UNPROVEN}; its sender is being challenged. */
    UNPROVEN,
    /** Dropped as {@link DropReason#BAD_PROOF}. */
    BAD_PROOF,
    /** Dropped as {@link DropReason#REPLAYED}. */
    REPLAYED
  }

  /** Senders remembered at most; each is a key holder, but a key holder can mint node ids. */
  static final int MAX_SENDERS = 256;
  /** Challenges outstanding, and challengers answered recently, at most. */
  static final int MAX_PENDING = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Logger log;
  private final HeartbeatConfig config;
  private final AuthenticatedWireFormat wireFormat;
  private final DatagramTransport transport;
  private final Clock clock;
  private final Supplier<@Nullable Advertisement> answer;
  private final String name;

  private final Map<NodeId, long[]> proven = bounded(MAX_SENDERS);
  private final Map<NodeId, Challenge> pending = bounded(MAX_PENDING);
  private final Map<NodeId, Long> answeredAt = bounded(MAX_PENDING);

  private final AtomicLong challengesSent = new AtomicLong();
  private final AtomicLong responsesSent = new AtomicLong();
  private final AtomicLong provenCount = new AtomicLong();

  /** A nonce sent to a sender whose advertisement (with {@code priority}, as master or not) waits for its proof. */
  private record Challenge(byte[] nonce, long sentAtNanos, int priority, boolean master) {}

  /**
   * Proofs for {@code config}'s member; {@code answer} gives the advertisement to answer a
   * challenge with (the next of our own, in our incarnation), or null when we do not answer.
   */
  FreshnessProof(HeartbeatConfig config, AuthenticatedWireFormat wireFormat, DatagramTransport transport, Clock clock,
      Supplier<@Nullable Advertisement> answer, String name, Logger log) {
    this.log = log;
    this.config = config;
    this.wireFormat = wireFormat;
    this.transport = transport;
    this.clock = clock;
    this.answer = answer;
    this.name = name;
  }

  /** Forgets every sender and challenge: a start trusts nothing heard before. */
  void reset() {
    proven.clear();
    pending.clear();
    answeredAt.clear();
  }

  /** What {@code v} (authenticated, not ours) is; answers a challenge to us, challenges an unproven sender. */
  Verdict check(AdvertisementCodec.Valid v) {
    Advertisement ad = v.advertisement();
    NodeId sender = ad.nodeId();
    AdvertisementCodec.Proof proof = v.proof();
    if (proof != null && !proof.response()) {
      if (proof.peer().equals(config.nodeId())) {
        answer(sender, proof);
      }
      return Verdict.CHALLENGE;
    }
    if (proof != null && proof.peer().equals(config.nodeId())) {
      Challenge c = pending.get(sender);
      if (c == null || !proof.nonceEquals(c.nonce())) {
        return Verdict.BAD_PROOF;
      }
      pending.remove(sender);
      long[] known = proven.get(sender);
      long sequence = known != null && known[0] == ad.incarnation() ? Math.max(known[1], ad.sequence()) : ad.sequence();
      proven.put(sender, new long[] {ad.incarnation(), sequence});
      provenCount.incrementAndGet();
      log.debug("{}: {} proved incarnation {} fresh", name, sender, Long.toHexString(ad.incarnation()));
      return Verdict.ADVERTISEMENT;
    }
    long[] known = proven.get(sender);
    if (known != null && known[0] == ad.incarnation()) {
      if (ad.sequence() <= known[1]) {
        return Verdict.REPLAYED;
      }
      known[1] = ad.sequence();
      return Verdict.ADVERTISEMENT;
    }
    challenge(sender, ad);
    return Verdict.UNPROVEN;
  }

  /**
   * Until when a backup of {@code priority} whose master-down timer expired waits before it takes
   * over, or {@code Long.MIN_VALUE} for not at all: while a sender whose master advertisement would
   * keep it backup (a priority at least its own) is being challenged, for at most {@link
   * #answerWaitNanos} after the challenge went out. Without that wait a backup that has never heard
   * a new master (only masters advertise) drops its first advertisement as unproven and, when its
   * own timer ends within the round trip of the proof, as in a hand-over between close
   * priorities, becomes a second master. A replayed capture cannot answer, so it delays a take-over
   * by that wait at most, and only once per advertisement interval (the renewal of a challenge).
   */
  long takeOverWaitsUntil(int priority) {
    long now = clock.nanoTime();
    long until = Long.MIN_VALUE;
    for (Challenge c : pending.values()) {
      long due = c.sentAtNanos() + answerWaitNanos();
      if (c.master() && c.priority() >= priority && due - now > 0 && (until == Long.MIN_VALUE || due - until > 0)) {
        until = due;
      }
    }
    return until;
  }

  /**
   * How long a challenger waits for an answer before it stops waiting: half an interval. A LAN's
   * round trip is far less, but over a link with up to a quarter interval of jitter each way (a
   * WAN at fast adverts) a quarter was too short: the proof came back after a lower backup's timer
   * had made it a second master (seen in the schedules, seed 7520).
   */
  long answerWaitNanos() {
    return config.advertisementInterval().toNanos() / 2;
  }

  /** Challenges sent, responses sent, incarnations proven. */
  ProofStats stats() {
    return new ProofStats(challengesSent.get(), responsesSent.get(), provenCount.get());
  }

  /** At most one nonce outstanding per sender, renewed at most once per advertisement interval. */
  private void challenge(NodeId sender, Advertisement ad) {
    long incarnation = ad.incarnation();
    long now = clock.nanoTime();
    Challenge c = pending.get(sender);
    if (c != null && now - c.sentAtNanos() < config.advertisementInterval().toNanos()) {
      return;
    }
    byte[] nonce = new byte[AdvertisementCodec.NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    pending.remove(sender);
    pending.put(sender, new Challenge(nonce, now, ad.priority(), ad.state() == Role.MASTER));
    // Challenges are not replay-checked (a replayed one only earns an answer nobody waits for), so
    // the header carries no incarnation or sequence of ours.
    Advertisement header = new Advertisement(config.clusterId(), config.groupId(), config.nodeId(), config.priority(),
        Role.BACKUP, config.advertisementInterval(), 0, 0, AdvertisementCodec.vipDigest(config.virtualAddresses()));
    sendAll(wireFormat.encode(header, new AdvertisementCodec.Proof(false, sender, nonce)));
    challengesSent.incrementAndGet();
    log.debug("{}: challenging {} (incarnation {} not proven here)", name, sender, Long.toHexString(incarnation));
  }

  /** Answers at once, at most once per quarter advertisement interval per challenger. */
  private void answer(NodeId challenger, AdvertisementCodec.Proof challenge) {
    long now = clock.nanoTime();
    Long last = answeredAt.get(challenger);
    if (last != null && now - last < config.advertisementInterval().toNanos() / 4) {
      log.trace("{}: challenge from {} not answered: answered it {} us ago", name, challenger, (now - last) / 1000);
      return;
    }
    Advertisement ad = answer.get();
    if (ad == null) {
      log.trace("{}: challenge from {} not answered: not running as master or backup", name, challenger);
      return;
    }
    answeredAt.remove(challenger);
    answeredAt.put(challenger, now);
    sendAll(wireFormat.encode(ad, new AdvertisementCodec.Proof(true, challenger, challenge.nonce())));
    responsesSent.incrementAndGet();
    log.debug("{}: answered the challenge of {} with incarnation {}", name, challenger,
        Long.toHexString(ad.incarnation()));
  }

  private void sendAll(ByteBuffer packet) {
    for (InetSocketAddress dest : config.destinations()) {
      try {
        transport.send(dest, packet.duplicate());
      } catch (RuntimeException e) {
        log.warn("{}: sending a freshness proof to {} failed", name, dest, e);
      }
    }
  }

  /** An insertion-ordered map that forgets its eldest entry beyond {@code max}. */
  private static <K, V> Map<K, V> bounded(int max) {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
