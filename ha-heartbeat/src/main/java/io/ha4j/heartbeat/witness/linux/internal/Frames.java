package io.ha4j.heartbeat.witness.linux.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Cuts a witness stream into messages: each is a two-byte big-endian length followed by that many
 * bytes, at most {@link #MAX_MESSAGE}. Bytes arrive in pieces; a message is handed on once whole.
 */
public final class Frames {

  /** The largest message, as the SPI allows. */
  public static final int MAX_MESSAGE = 1024;

  private final ByteBuffer pending = ByteBuffer.allocate(2 + MAX_MESSAGE);

  /** The bytes on the wire for {@code message} (from its position to its limit). */
  public static byte[] encode(ByteBuffer message) {
    int length = message.remaining();
    if (length > MAX_MESSAGE) {
      throw new IllegalArgumentException("a witness message has at most " + MAX_MESSAGE + " bytes, not " + length);
    }
    byte[] wire = new byte[2 + length];
    wire[0] = (byte) (length >>> 8);
    wire[1] = (byte) length;
    message.duplicate().get(wire, 2, length);
    return wire;
  }

  /**
   * Takes {@code bytes} (position to limit, consumed) and hands each completed message to {@code
   * sink}.
   *
   * @return false if the stream announced a message longer than {@link #MAX_MESSAGE}: it cannot be
   *     resynchronised and the connection must end
   */
  public boolean feed(ByteBuffer bytes, Consumer<ByteBuffer> sink) {
    while (bytes.hasRemaining()) {
      int need = pending.position() < 2 ? 2 - pending.position() : 2 + announced() - pending.position();
      int take = Math.min(need, bytes.remaining());
      ByteBuffer piece = bytes.duplicate();
      piece.limit(piece.position() + take);
      pending.put(piece);
      bytes.position(bytes.position() + take);
      if (pending.position() == 2 && announced() > MAX_MESSAGE) {
        return false;
      }
      if (pending.position() >= 2 && pending.position() == 2 + announced()) {
        byte[] message = new byte[announced()];
        pending.get(2, message);
        pending.clear();
        sink.accept(ByteBuffer.wrap(message));
      }
    }
    return true;
  }

  private int announced() {
    return ((pending.get(0) & 0xff) << 8) | (pending.get(1) & 0xff);
  }
}
