package io.ha4j.warmup;

import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** A datagram transport that hears nothing and counts what it is handed, for a throwaway election. */
final class SinkTransport implements DatagramTransport {

  private long sent;

  @Override
  public void start(Consumer<Datagram> receiver) {}

  @Override
  public void send(InetSocketAddress destination, ByteBuffer payload) {
    sent++;
  }

  long sent() {
    return sent;
  }

  @Override
  public void close() {}
}
