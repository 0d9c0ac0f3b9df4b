package io.ha4j.heartbeat;

import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A transport that records what is sent and lets the test hand datagrams to the receiver. */
final class CapturingTransport implements DatagramTransport {

  record Sent(InetSocketAddress destination, ByteBuffer payload) {}

  final List<Sent> sent = new ArrayList<>();
  private @Nullable Consumer<Datagram> receiver;
  boolean closed;

  @Override
  public void start(Consumer<Datagram> r) {
    if (receiver != null) {
      throw new IllegalStateException("started twice");
    }
    receiver = r;
  }

  @Override
  public void send(InetSocketAddress destination, ByteBuffer payload) {
    ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
    sent.add(new Sent(destination, copy));
  }

  /** The receive path, exactly as the transport's receive loop would call it. */
  Consumer<Datagram> receiver() {
    return Objects.requireNonNull(receiver, "the election has not started the transport");
  }

  @Override
  public void close() {
    closed = true;
  }
}
