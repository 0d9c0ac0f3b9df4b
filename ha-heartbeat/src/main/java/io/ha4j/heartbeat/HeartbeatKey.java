package io.ha4j.heartbeat;

import java.util.Arrays;
import java.util.Objects;

/**
 * A shared secret for the HMAC-SHA-256 of advertisements. The id travels in every packet so that
 * members can roll keys over: during a rollover two keys are accepted.
 *
 * @param id 0..255
 * @param secret at least 16 bytes; copied on the way in and out
 */
public record HeartbeatKey(int id, byte[] secret) {

  /** Shortest accepted secret, in bytes (128 bits). */
  public static final int MIN_SECRET_BYTES = 16;

  public HeartbeatKey {
    if (id < 0 || id > 255) {
      throw new IllegalArgumentException("key id must be 0..255, was " + id);
    }
    Objects.requireNonNull(secret, "secret");
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "secret of key " + id + " must be at least " + MIN_SECRET_BYTES + " bytes, was " + secret.length);
    }
    secret = secret.clone();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeartbeatKey k && k.id == id && Arrays.equals(k.secret, secret);
  }

  @Override
  public int hashCode() {
    return 31 * id + Arrays.hashCode(secret);
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "HeartbeatKey[id=" + id + ", secret=(" + secret.length + " bytes)]";
  }
}
