package io.ha4j.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The name of a cluster member, unique within its cluster. It breaks ties between members of equal
 * priority (the higher id wins, as the higher primary address wins in VRRP).
 *
 * @param value 1 to 64 bytes of UTF-8 without control characters
 */
public record NodeId(String value) implements Comparable<NodeId> {

  /** Longest id in UTF-8 bytes; it travels in every advertisement. */
  public static final int MAX_BYTES = 64;

  public NodeId {
    Objects.requireNonNull(value, "value");
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "node id must be 1.." + MAX_BYTES + " bytes of UTF-8, was " + bytes + ": '" + value + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException("node id must not contain control characters: '" + value + "'");
      }
    }
  }

  /** Shorthand for {@code new NodeId(value)}. */
  public static NodeId of(String value) {
    return new NodeId(value);
  }

  @Override
  public int compareTo(NodeId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
