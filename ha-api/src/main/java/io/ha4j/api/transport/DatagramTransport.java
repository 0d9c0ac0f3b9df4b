package io.ha4j.api.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Sends and receives heartbeat datagrams: a UDP socket, a raw VRRP socket, or the testkit's
 * simulated network.
 */
public interface DatagramTransport extends AutoCloseable {

  /**
   * Starts delivering received datagrams to {@code receiver}. Implementations call it on their
   * receive thread or hand the datagrams to the election's scheduler; the election's receiver
   * accepts either (it screens a datagram on the calling thread and queues it for its scheduler).
   */
  void start(Consumer<Datagram> receiver);

  /**
   * Sends {@code payload} (from its position to its limit) to {@code destination}, a peer or a
   * multicast group. Best effort: a failure is logged and counted, never thrown, because a lost
   * advertisement is a normal event for an election.
   */
  void send(InetSocketAddress destination, ByteBuffer payload);

  @Override
  void close();
}
