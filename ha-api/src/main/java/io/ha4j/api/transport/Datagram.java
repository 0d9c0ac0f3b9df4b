package io.ha4j.api.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A received datagram.
 *
 * @param source the sender
 * @param payload the bytes, positioned at 0 and limited to the datagram's length
 * @param ttl the IP TTL or hop limit it arrived with, or -1 when the transport cannot tell
 * @param receivedAtNanos {@link io.ha4j.api.Clock} reading at arrival
 */
public record Datagram(InetSocketAddress source, ByteBuffer payload, int ttl, long receivedAtNanos) {
  public Datagram {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(payload, "payload");
  }
}
