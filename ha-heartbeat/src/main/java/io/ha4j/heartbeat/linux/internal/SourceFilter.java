package io.ha4j.heartbeat.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.ha4j.linux.Errno;
import io.ha4j.linux.internal.Libc;
import java.io.IOException;
import java.lang.ref.Reference;
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

  private static final int BPF_LD_W_ABS = 0x20;
  private static final int BPF_JEQ_K = 0x15;
  private static final int BPF_RET_K = 0x06;
  /** {@code SKF_NET_OFF}: loads relative to the network header, here the IPv4 header. */
  private static final int SKF_NET_OFF = -0x100000;
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
    Memory code = new Memory((n + 3) * 8L);
    instruction(code, 0, BPF_LD_W_ABS, 0, 0, SKF_NET_OFF + IPV4_SOURCE);
    for (int i = 1; i <= n; i++) {
      // An absolute load reads the address big-endian, as the address's bytes are.
      int address = ByteBuffer.wrap(((InetAddress) sources.get(i - 1)).getAddress()).getInt();
      instruction(code, i, BPF_JEQ_K, n + 1 - i, 0, address); // a peer: on to the accept
    }
    instruction(code, n + 1, BPF_RET_K, 0, 0, 0);
    instruction(code, n + 2, BPF_RET_K, 0, 0, -1); // the whole datagram
    Memory program = new Memory(16); // struct sock_fprog on LP64: length, padding, pointer
    program.clear();
    program.setShort(0, (short) (n + 3));
    program.setPointer(8, code);
    try {
      Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, program, 16);
    } catch (LastErrorException e) {
      throw new IOException("attaching a source filter to the heartbeat socket: " + Errno.describe(e.getErrorCode()), e);
    } finally {
      // The kernel copies the program during the call; until then only its address is in program.
      Reference.reachabilityFence(code);
    }
  }

  /** {@code struct sock_filter}: u16 code, u8 jt, u8 jf, u32 k. */
  private static void instruction(Memory code, int index, int op, int jt, int jf, int k) {
    long at = index * 8L;
    code.setShort(at, (short) op);
    code.setByte(at + 2, (byte) jt);
    code.setByte(at + 3, (byte) jf);
    code.setInt(at + 4, k);
  }
}
