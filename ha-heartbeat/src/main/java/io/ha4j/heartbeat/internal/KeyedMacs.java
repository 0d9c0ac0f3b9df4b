package io.ha4j.heartbeat.internal;

import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatKey;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The HMAC-SHA-256 of an election's keys, one for each key id, for one cluster and group: what
 * signs and authenticates both the heartbeat's advertisements and the death witness's messages,
 * so that both speak with the same keys and the same rules. Not thread-safe (it reuses its {@link
 * Mac} instances): one per thread.
 */
public final class KeyedMacs {

  /** Length of a digest. */
  public static final int BYTES = 32;

  private final int clusterId;
  private final int groupId;
  private final int signingKeyId;
  private final @Nullable Mac[] macs = new Mac[256];
  private final byte[] out = new byte[BYTES];

  /**
   * The MACs of {@code keys} for {@code clusterId}/{@code groupId}: the first key signs, all are
   * accepted.
   *
   * @throws IllegalArgumentException if two keys have one id, or there is none
   */
  public KeyedMacs(int clusterId, int groupId, List<HeartbeatKey> keys) {
    Objects.requireNonNull(keys, "keys");
    this.clusterId = clusterId;
    this.groupId = groupId;
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys must hold at least one key");
    }
    this.signingKeyId = keys.get(0).id();
    for (HeartbeatKey k : keys) {
      if (macs[k.id()] != null) {
        throw new IllegalArgumentException("keys must have distinct ids, key id " + k.id() + " twice");
      }
      macs[k.id()] = newMac(k);
    }
  }

  /** The id of the key that signs. */
  public int signingKeyId() {
    return signingKeyId;
  }

  /** Writes the signing key's digest of {@code bytes[0, length)} to {@code bytes[length, length + BYTES)}. */
  public void sign(byte[] bytes, int length) {
    Mac mac = Objects.requireNonNull(macs[signingKeyId]);
    mac.update(bytes, 0, length);
    doFinal(mac);
    System.arraycopy(out, 0, bytes, length, BYTES);
  }

  /**
   * Why a well-formed packet of {@code cluster}/{@code group} whose last {@link #BYTES} are key
   * {@code keyId}'s digest of the rest must be dropped, in the receiver's order (another cluster,
   * another group, an unknown key, a digest that does not match, compared in constant time); null
   * if it is authentic.
   */
  public @Nullable DropReason authenticate(int cluster, int group, int keyId, byte[] packet) {
    if (cluster != clusterId) {
      return DropReason.OTHER_CLUSTER;
    }
    if (group != groupId) {
      return DropReason.OTHER_GROUP;
    }
    Mac mac = keyId >= 0 && keyId < macs.length ? macs[keyId] : null;
    if (mac == null) {
      return DropReason.UNKNOWN_KEY;
    }
    int signed = packet.length - BYTES;
    mac.update(packet, 0, signed);
    doFinal(mac);
    return MessageDigest.isEqual(out, Arrays.copyOfRange(packet, signed, packet.length)) ? null : DropReason.BAD_DIGEST;
  }

  private void doFinal(Mac mac) {
    try {
      mac.doFinal(out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC output buffer too small", e);
    }
  }

  private static Mac newMac(HeartbeatKey k) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(k.secret(), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }
}
