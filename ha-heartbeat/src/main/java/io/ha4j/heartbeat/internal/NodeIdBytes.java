package io.ha4j.heartbeat.internal;

import io.ha4j.api.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** A node id as it travels in the heartbeat's and the witness's packets: strict UTF-8. */
public final class NodeIdBytes {

  private NodeIdBytes() {}

  /** The node id in {@code bytes[from, from + len)}, or null if it is not valid UTF-8 or not a node id. */
  public static @Nullable NodeId decode(byte[] bytes, int from, int len) {
    try {
      return new NodeId(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, len))
          .toString());
    } catch (CharacterCodingException | IllegalArgumentException e) {
      return null;
    }
  }
}
