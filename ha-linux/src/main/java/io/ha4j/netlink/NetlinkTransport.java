package io.ha4j.netlink;

import java.time.Duration;
import java.nio.ByteBuffer;

/**
 * Moves whole netlink datagrams between a client and a kernel: a real socket
 * ({@link NetlinkSocket}) or an in-memory fake kernel in tests. Implementations need not be
 * thread-safe; {@link NetlinkConnection} uses one from one thread at a time.
 */
public interface NetlinkTransport extends AutoCloseable {

  /** The port id the kernel addresses replies to ({@code nl_pid} of the bound socket). */
  int portId();

  /**
   * Sends one datagram holding one or more netlink messages.
   *
   * @throws NetlinkException of kind {@code IO} if it cannot be sent
   */
  void send(ByteBuffer datagram);

  /**
   * Receives one whole datagram, never truncated, in native byte order.
   *
   * @throws NetlinkException of kind {@code TIMEOUT} if none arrives within {@code timeout},
   *     {@code OVERRUN} if the kernel dropped messages ({@code ENOBUFS}), {@code IO} otherwise
   */
  ByteBuffer receive(Duration timeout);

  @Override
  void close();
}
