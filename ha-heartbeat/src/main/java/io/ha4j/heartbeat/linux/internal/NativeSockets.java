package io.ha4j.heartbeat.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Native;
import io.ha4j.heartbeat.internal.ReceiveThread;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * What the native heartbeat sockets (raw VRRP, timestamped UDP) share: whether they can run here,
 * option values in native byte order, and closing the descriptor only after the receive thread.
 */
public final class NativeSockets {

  private NativeSockets() {}

  /**
   * Why {@code what} cannot run here (switched off by {@code -DdisableProperty=true}, not 64-bit
   * Linux, libc not loadable through JNA), or {@code null} if it can. The recvmsg layouts are LP64.
   */
  public static @Nullable Throwable unavailability(String disableProperty, String what) {
    if (Boolean.getBoolean(disableProperty)) {
      return new UnsupportedOperationException("disabled by -D" + disableProperty + "=true");
    }
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      return new UnsupportedOperationException(what + " need Linux, this is " + System.getProperty("os.name"));
    }
    if (Native.POINTER_SIZE != 8) {
      return new UnsupportedOperationException("the recvmsg layout of " + what + " assumes a 64-bit libc");
    }
    try {
      Objects.requireNonNull(Libc.INSTANCE);
      return null;
    } catch (LinkageError e) {
      return e;
    }
  }

  /** A buffer for a socket option or address in native byte order. */
  public static ByteBuffer nat(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
  }

  /** An int socket option. */
  public static void setInt(int fd, int level, int name, int value) {
    byte[] v = nat(4).putInt(value).array();
    Libc.INSTANCE.setsockopt(fd, level, name, v, v.length);
  }

  /** {@code SO_RCVTIMEO} of 250 ms, so that a receive thread notices a close within that time. */
  public static void setReceiveTimeout(int fd) {
    byte[] timeout = nat(16).putLong(0).putLong(250_000).array(); // struct timeval, LP64
    Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, timeout.length);
  }

  /**
   * Closes {@code fd} once {@code receiver} has left its receive call (it sees the closed flag
   * within the receive timeout): closing under a blocked receive would race a reuse of the number.
   */
  public static void closeAfter(ReceiveThread receiver, int fd, Logger log, String socket) {
    receiver.join(1000);
    try {
      Libc.INSTANCE.close(fd);
    } catch (LastErrorException e) {
      log.debug("{}: close failed: {}", socket, errno(e));
    }
  }

  /** Rounds of {@link #warmUpSendto}: above the JIT's compile threshold (200 calls). */
  private static final int WARM_UP_ROUNDS = 300;

  /**
   * Runs the native {@code sendto} path for a datagram of {@code length} bytes to {@code to}
   * against no socket (fd -1: EBADF), so that a backup's first advertisement as master, sent right
   * after its gratuitous ARP, does not bind the function and run it interpreted (0.1-1.3 ms of CPU
   * on a small VM, while the clients turn to the new master).
   */
  public static void warmUpSendto(int length, byte[] to) {
    byte[] bytes = new byte[length];
    NativeLong n = new NativeLong(length);
    for (int i = 0; i < WARM_UP_ROUNDS; i++) {
      try {
        Libc.INSTANCE.sendto(-1, bytes, n, 0, to, to.length);
      } catch (LastErrorException expected) {
        // EBADF: nothing was sent, which is the point
      }
    }
  }

  /** An errno for a message. */
  public static String errno(LastErrorException e) {
    return "errno " + e.getErrorCode() + " (" + e.getMessage() + ")";
  }
}
