package io.ha4j.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.lang.ref.Reference;

/**
 * A classic BPF program for {@code SO_ATTACH_FILTER} (socket(7), filter.txt of the kernel), built
 * instruction by instruction: what a socket filter takes, the kernel drops before it is queued, so
 * it never wakes the receiving thread.
 */
public final class SocketFilter {

  /** {@code BPF_LD | BPF_W | BPF_ABS}: a 32-bit big-endian load at {@code k}. */
  public static final int LD_W_ABS = 0x20;
  /** {@code BPF_LD | BPF_B | BPF_ABS}: an 8-bit load at {@code k}. */
  public static final int LD_B_ABS = 0x30;
  /** {@code BPF_JMP | BPF_JEQ | BPF_K}: to {@code jt} if the accumulator is {@code k}, else {@code jf}. */
  public static final int JEQ_K = 0x15;
  /** {@code BPF_RET | BPF_K}: keep {@code k} bytes (0 drops the packet). */
  public static final int RET_K = 0x06;
  /** Keeps the whole packet, for {@link #RET_K}. */
  public static final int WHOLE = -1;
  /** {@code SKF_NET_OFF}: a load offset relative to the network (IP) header. */
  public static final int NET_OFF = -0x100000;

  private final Memory code;
  private final int length;
  private int next;

  /** A program of exactly {@code length} instructions (1 to 4096). */
  public SocketFilter(int length) {
    if (length < 1 || length > 4096) {
      throw new IllegalArgumentException("a socket filter has 1 to 4096 instructions, not " + length);
    }
    this.length = length;
    this.code = new Memory(length * 8L);
  }

  /** Appends {@code struct sock_filter} {@code {op, jt, jf, k}}. */
  public SocketFilter add(int op, int jt, int jf, int k) {
    if (next == length) {
      throw new IllegalStateException("the program already has its " + length + " instructions");
    }
    long at = next++ * 8L;
    code.setShort(at, (short) op);
    code.setByte(at + 2, (byte) jt);
    code.setByte(at + 3, (byte) jf);
    code.setInt(at + 4, k);
    return this;
  }

  /** Attaches the program to socket {@code fd}; the kernel checks and copies it. */
  public void attach(int fd) throws LastErrorException {
    if (next != length) {
      throw new IllegalStateException("the program has " + next + " of its " + length + " instructions");
    }
    Memory program = new Memory(16); // struct sock_fprog on LP64: length, padding, pointer
    program.clear();
    program.setShort(0, (short) length);
    program.setPointer(8, code);
    try {
      Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, program, 16);
    } finally {
      // The kernel copies the program during the call; until then only its address is in program.
      Reference.reachabilityFence(code);
    }
  }
}
