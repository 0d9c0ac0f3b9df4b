package io.ha4j.heartbeat.linux.internal;

import com.sun.jna.LastErrorException;
import io.ha4j.linux.Errno;
import io.ha4j.linux.internal.SocketFilter;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A classic BPF socket filter that lets an IPv4 UDP socket receive only from the given source
 * addresses. The kernel drops what it refuses before it is queued, so a flood from elsewhere
 * neither wakes the receive thread nor costs a copy: with it the election's advertisements kept
 * their period under a flood of a million datagrams (DirectorFloodNetnsIT), which the same filter
 * in user space alone did not. The user-space filter (the election's {@code Intake}) stays: it
 * also covers IPv6 and transports without this filter.
 */
public final class SourceFilter {

  private static final int IPV4_SOURCE = 12;

  private SourceFilter() {}

  /**
   * Attaches the filter to {@code fd} for {@code sources}, all IPv4 and at most 250.
   *
   * @throws IOException if the kernel refuses the filter
   */
  public static void attach(int fd, List<Inet4Address> sources) throws IOException {
    int n = sources.size();
    if (n == 0 || n > 250) {
      throw new IllegalArgumentException("a source filter needs 1 to 250 addresses, got " + n);
    }
    SocketFilter filter = new SocketFilter(n + 3).add(SocketFilter.LD_W_ABS, 0, 0, SocketFilter.NET_OFF + IPV4_SOURCE);
    for (int i = 1; i <= n; i++) {
      // An absolute load reads the address big-endian, as the address's bytes are.
      int address = ByteBuffer.wrap(((InetAddress) sources.get(i - 1)).getAddress()).getInt();
      filter.add(SocketFilter.JEQ_K, n + 1 - i, 0, address); // a peer: on to the accept
    }
    filter.add(SocketFilter.RET_K, 0, 0, 0).add(SocketFilter.RET_K, 0, 0, SocketFilter.WHOLE);
    try {
      filter.attach(fd);
    } catch (LastErrorException e) {
      throw new IOException("attaching a source filter to the heartbeat socket: " + Errno.describe(e.getErrorCode()), e);
    }
  }
}
