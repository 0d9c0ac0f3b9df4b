package io.ha4j.testkit.ipvs;

/**
 * What goes wrong with the replies to one request, picked by a test (as okhttp's
 * {@code SocketPolicy}). The request itself is always applied, as in the kernel: only the answer
 * suffers.
 */
public enum IpvsFault {
  /** The socket's receive queue overflowed: the replies are dropped and the next receive fails with ENOBUFS. */
  ENOBUFS,
  /** The replies arrive late: the next receive times out, and they come after it (with the old sequence number). */
  DELAY,
  /**
   * The replies never arrive: what the kernel does for a request whose handler returns {@code
   * EINTR} (ip_vs stopping a sync daemon whose thread had not run yet); the next message of the
   * same datagram is answered as usual.
   */
  LOST_REPLY,
  /** Each reply datagram is cut to half its length. */
  TRUNCATED,
  /** One byte of each reply datagram is inverted. */
  CORRUPT
}
