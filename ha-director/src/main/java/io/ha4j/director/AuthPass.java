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

  /** The salt of an instance without authentication: its key is public, derived from the VRID alone. */
  static final byte[] NO_AUTHENTICATION_SALT = "ha4j no authentication v1".getBytes(StandardCharsets.US_ASCII);

  private AuthPass() {}

  /**
   * The key of an instance without any authentication, keepalived's default (and VRRPv3's: RFC
   * 5798 has none): HKDF-Extract(NO_AUTHENTICATION_SALT, the VRID). Anyone can derive it, so it
   * authenticates nothing; it keeps the wire format one, catches corrupted datagrams, and keeps two
   * unauthenticated groups of different VRIDs apart.
   */
  static byte[] noAuthentication(int vrid) {
    return hkdfExtract(NO_AUTHENTICATION_SALT, new byte[] {(byte) vrid});
  }

  /** The key bytes of {@code password}: itself when long enough, else HKDF-Extract(SALT, password). */
  static byte[] keyBytes(byte[] password) {
    if (password.length >= HeartbeatKey.MIN_SECRET_BYTES) {
      return password.clone();
    }
    return hkdfExtract(SALT, password);
  }

  /** RFC 5869 section 2.2: PRK = HMAC-SHA256(salt, input). */
  private static byte[] hkdfExtract(byte[] salt, byte[] input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(salt, "HmacSHA256"));
      return mac.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }
}
