package io.ha4j.director;

import io.ha4j.heartbeat.HeartbeatKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * keepalived's {@code auth_pass} as ha4j's HMAC key. A password of {@link
 * HeartbeatKey#MIN_SECRET_BYTES} bytes or more is the key itself (as before, so pairs keep their
 * key across an upgrade). A shorter one, what keepalived users have ({@code auth_pass 1111}; PASS
 * sends at most 8 characters, in clear), is stretched to a full-length key by HKDF-Extract (RFC
 * 5869 section 2.2: HMAC-SHA256 keyed with a fixed salt, over the password): both nodes derive the
 * same 32 bytes, the password never goes on the wire, and a password of any length gives a key the
 * HMAC accepts. Stretching adds no entropy: a short password is as guessable as it was, hence the
 * warning.
 */
final class AuthPass {

  /** HKDF's salt: fixed, so that every director derives the same key from the same password. */
  static final byte[] SALT = "ha4j auth_pass v1".getBytes(StandardCharsets.US_ASCII);

  private AuthPass() {}

  /** The key bytes of {@code password}: itself when long enough, else HKDF-Extract(SALT, password). */
  static byte[] keyBytes(byte[] password) {
    if (password.length >= HeartbeatKey.MIN_SECRET_BYTES) {
      return password.clone();
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
      return mac.doFinal(password);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }
}
