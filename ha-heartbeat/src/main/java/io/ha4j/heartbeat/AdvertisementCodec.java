package io.ha4j.heartbeat;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.heartbeat.internal.KeyedMacs;
import io.ha4j.heartbeat.internal.NodeIdBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Encodes and decodes the advertisements of one election group (see the {@linkplain
 * io.ha4j.heartbeat package documentation} for the wire format). Pure: no I/O, no clock.
 *
 * <p>Not thread-safe (it reuses its MAC instances): use one per thread, as the election
 * does on its scheduler thread.
 */
public final class AdvertisementCodec {

  /** The version this codec writes and reads. */
  public static final int VERSION = 1;

  static final int MAGIC = 0x4841344A; // "HA4J"
  static final int HEADER_BYTES = 68;
  static final int MAC_BYTES = 32;
  /** Length of the nonce of a freshness challenge and its response. */
  public static final int NONCE_BYTES = 16;
  /** Shortest and longest valid packet (the longest is a challenge or response). */
  public static final int MIN_BYTES = HEADER_BYTES + 1 + MAC_BYTES;
  public static final int MAX_BYTES = HEADER_BYTES + NodeId.MAX_BYTES + NONCE_BYTES + 1 + NodeId.MAX_BYTES + MAC_BYTES;

  private static final int KIND_ADVERTISEMENT = 0;
  private static final int KIND_CHALLENGE = 1;
  private static final int KIND_RESPONSE = 2;

  private static final Role[] STATES = {Role.INIT, Role.BACKUP, Role.MASTER, Role.FAULT};

  private final int clusterId;
  private final int groupId;
  private final KeyedMacs macs;

  /** The outcome of {@link #decode}: either an advertisement or the reason it was rejected. */
  public sealed interface Decoded permits Valid, Rejected {}

  /**
   * An authenticated advertisement of this cluster and group; {@code proof} is set when the packet
   * is a freshness challenge (then the advertisement is the challenger's header, not an
   * advertisement of its state) or a response to one.
   */
  public record Valid(Advertisement advertisement, int keyId, @Nullable Proof proof) implements Decoded {
    public Valid {
      Objects.requireNonNull(advertisement, "advertisement");
    }

    /** A plain advertisement. */
    public Valid(Advertisement advertisement, int keyId) {
      this(advertisement, keyId, null);
    }
  }

  /**
   * The freshness part of a challenge or a response (package documentation, "Freshness").
   *
   * @param response false for a challenge, true for a response
   * @param peer a challenge's target; a response's challenger
   * @param nonce {@value #NONCE_BYTES} bytes; copied
   */
  public record Proof(boolean response, NodeId peer, byte[] nonce) {
    public Proof {
      Objects.requireNonNull(peer, "peer");
      if (nonce.length != NONCE_BYTES) {
        throw new IllegalArgumentException("nonce must be " + NONCE_BYTES + " bytes, was " + nonce.length);
      }
      nonce = nonce.clone();
    }

    @Override
    public byte[] nonce() {
      return nonce.clone();
    }

    /** Whether the nonce equals {@code other}, compared in constant time. */
    public boolean nonceEquals(byte[] other) {
      return MessageDigest.isEqual(nonce, other);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Proof p && p.response == response && p.peer.equals(peer) && nonceEquals(p.nonce);
    }

    @Override
    public int hashCode() {
      return Objects.hash(response, peer) * 31 + java.util.Arrays.hashCode(nonce);
    }
  }

  /** A rejected datagram. */
  public record Rejected(DropReason reason) implements Decoded {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A codec for {@code clusterId}/{@code groupId} that signs with the first key and accepts all
   * of {@code keys} (one or two, with distinct ids).
   */
  public AdvertisementCodec(int clusterId, int groupId, List<HeartbeatKey> keys) {
    if (groupId < 1 || groupId > 255) {
      throw new IllegalArgumentException("groupId must be 1..255, was " + groupId);
    }
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty() || keys.size() > 2) {
      throw new IllegalArgumentException("keys must hold 1 or 2 keys (2 during a rollover), was " + keys.size());
    }
    this.clusterId = clusterId;
    this.groupId = groupId;
    this.macs = new KeyedMacs(clusterId, groupId, keys);
  }

  /** The cluster this codec accepts. */
  public int clusterId() {
    return clusterId;
  }

  /** The group this codec accepts. */
  public int groupId() {
    return groupId;
  }

  /**
   * Encodes {@code ad} signed with the signing key. The advertisement's cluster and group need not
   * be this codec's (tests build foreign packets this way).
   *
   * @return a new buffer positioned at 0, limited to the packet's length
   */
  public ByteBuffer encode(Advertisement ad) {
    return encode(ad, null);
  }

  /**
   * Encodes a freshness challenge or response: {@code ad}'s fields (for a challenge, the
   * challenger's header), then {@code proof}, signed with the signing key.
   *
   * @return a new buffer positioned at 0, limited to the packet's length
   */
  public ByteBuffer encode(Advertisement ad, @Nullable Proof proof) {
    byte[] id = ad.nodeId().value().getBytes(StandardCharsets.UTF_8);
    byte[] peer = proof == null ? new byte[0] : proof.peer().value().getBytes(StandardCharsets.UTF_8);
    int extension = proof == null ? 0 : NONCE_BYTES + 1 + peer.length;
    int kind = proof == null ? KIND_ADVERTISEMENT : proof.response() ? KIND_RESPONSE : KIND_CHALLENGE;
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + id.length + extension + MAC_BYTES);
    b.putInt(MAGIC)
        .put((byte) VERSION)
        .put((byte) macs.signingKeyId())
        .put((byte) ad.groupId())
        .put((byte) stateCode(ad.state()))
        .putInt(ad.clusterId())
        .put((byte) ad.priority())
        .put((byte) id.length)
        .put((byte) kind)
        .put((byte) 0)
        .putInt((int) ad.interval().toMillis())
        .putLong(ad.incarnation())
        .putLong(ad.sequence())
        .put(ad.vipDigest())
        .put(id);
    if (proof != null) {
      b.put(proof.nonce).put((byte) peer.length).put(peer);
    }
    int signed = b.position();
    macs.sign(b.array(), signed);
    return b.position(signed + MAC_BYTES).flip();
  }

  /**
   * Decodes and authenticates the bytes from {@code packet}'s position to its limit. Never throws
   * for any content; leaves {@code packet}'s position and limit unchanged.
   */
  public Decoded decode(ByteBuffer packet) {
    ByteBuffer p = packet.slice();
    int len = p.remaining();
    if (len < 6 || p.getInt(0) != MAGIC) {
      return new Rejected(DropReason.MALFORMED);
    }
    if ((p.get(4) & 0xff) != VERSION) {
      return new Rejected(DropReason.UNSUPPORTED_VERSION);
    }
    if (len < MIN_BYTES) {
      return new Rejected(DropReason.MALFORMED);
    }
    int keyId = p.get(5) & 0xff;
    int group = p.get(6) & 0xff;
    int stateCode = p.get(7) & 0xff;
    int cluster = p.getInt(8);
    int priority = p.get(12) & 0xff;
    int idLen = p.get(13) & 0xff;
    int kind = p.get(14) & 0xff;
    int reserved = p.get(15);
    long intervalMs = p.getInt(16) & 0xffffffffL;
    int peerLen = kind == KIND_ADVERTISEMENT || len < HEADER_BYTES + idLen + NONCE_BYTES + 1
        ? 0 : p.get(HEADER_BYTES + idLen + NONCE_BYTES) & 0xff;
    int extension = kind == KIND_ADVERTISEMENT ? 0 : NONCE_BYTES + 1 + peerLen;
    if (idLen < 1 || idLen > NodeId.MAX_BYTES || len != HEADER_BYTES + idLen + extension + MAC_BYTES
        || kind > KIND_RESPONSE || (kind != KIND_ADVERTISEMENT && (peerLen < 1 || peerLen > NodeId.MAX_BYTES))
        || reserved != 0 || stateCode >= STATES.length || group == 0
        || intervalMs < 1 || intervalMs > Advertisement.MAX_INTERVAL.toMillis()) {
      return new Rejected(DropReason.MALFORMED);
    }
    byte[] bytes = new byte[len];
    p.get(0, bytes);
    DropReason refused = macs.authenticate(cluster, group, keyId, bytes);
    if (refused != null) {
      return new Rejected(refused);
    }
    NodeId nodeId = NodeIdBytes.decode(bytes, HEADER_BYTES, idLen);
    if (nodeId == null) {
      return new Rejected(DropReason.MALFORMED);
    }
    Proof proof = null;
    if (kind != KIND_ADVERTISEMENT) {
      int nonceAt = HEADER_BYTES + idLen;
      NodeId peer = NodeIdBytes.decode(bytes, nonceAt + NONCE_BYTES + 1, peerLen);
      if (peer == null) {
        return new Rejected(DropReason.MALFORMED);
      }
      proof = new Proof(kind == KIND_RESPONSE, peer, java.util.Arrays.copyOfRange(bytes, nonceAt, nonceAt + NONCE_BYTES));
    }
    byte[] digest = java.util.Arrays.copyOfRange(bytes, 36, 36 + Advertisement.VIP_DIGEST_BYTES);
    return new Valid(
        new Advertisement(cluster, group, nodeId, priority, STATES[stateCode], Duration.ofMillis(intervalMs),
            p.getLong(20), p.getLong(28), digest),
        keyId, proof);
  }

  /**
   * The digest of a virtual address set as carried in advertisements: SHA-256 over the sorted,
   * distinct {@code address/prefix} lines (interface names left out: they may differ per member).
   */
  public static byte[] vipDigest(Collection<VirtualAddress> vips) {
    TreeSet<String> lines = new TreeSet<>();
    for (VirtualAddress v : vips) {
      lines.add(v.address().getHostAddress() + "/" + v.prefixLength());
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String line : lines) {
        sha.update((line + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static int stateCode(Role r) {
    return switch (r) {
      case INIT -> 0;
      case BACKUP -> 1;
      case MASTER -> 2;
      case FAULT -> 3;
    };
  }
}
