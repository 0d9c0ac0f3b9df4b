package io.ha4j.heartbeat.witness;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message of the witness protocol (see the package documentation for its layout).
 *
 * @param goodbye false for a hello, true for a goodbye
 * @param node the sender
 * @param role the sender's role when it sent this
 * @param incarnation the sender's incarnation (the one its advertisements carry)
 * @param nonce the sender's random bytes for this connection; copied
 * @param echo the peer's nonce as the sender heard it in the peer's hello, zeros before that; copied
 */
record WitnessMessage(boolean goodbye, NodeId node, Role role, long incarnation, byte[] nonce, byte[] echo) {

  /** Length of a nonce. */
  static final int NONCE_BYTES = 16;
  /** The echo before the peer's hello was heard. */
  static final byte[] NO_ECHO = new byte[NONCE_BYTES];

  WitnessMessage {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(role, "role");
    if (nonce.length != NONCE_BYTES || echo.length != NONCE_BYTES) {
      throw new IllegalArgumentException("nonce and echo must be " + NONCE_BYTES + " bytes");
    }
    nonce = nonce.clone();
    echo = echo.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] echo() {
    return echo.clone();
  }

  /** Whether this message echoes {@code ours}, compared in constant time. */
  boolean echoes(byte[] ours) {
    return MessageDigest.isEqual(echo, ours);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof WitnessMessage m && m.goodbye == goodbye && m.node.equals(node) && m.role == role
        && m.incarnation == incarnation && Arrays.equals(m.nonce, nonce) && Arrays.equals(m.echo, echo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(goodbye, node, role, incarnation) * 961 + Arrays.hashCode(nonce) * 31 + Arrays.hashCode(echo);
  }

  @Override
  public String toString() {
    return (goodbye ? "goodbye" : "hello") + " from " + node + " (" + role + ", incarnation " + incarnation + ")";
  }
}
