package io.ha4j.heartbeat.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import io.ha4j.heartbeat.internal.ReceiveThread;
import io.ha4j.linux.Errno;
import io.ha4j.linux.LinuxNative;
import io.ha4j.linux.internal.Libc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * What the native heartbeat sockets (raw VRRP, timestamped UDP) share: whether they can run here,
 * option values in native byte order, and closing the descriptor only after the receive thread.
 */
public final class NativeSockets {

  /** {@code SO_RCVTIMEO}: a receive thread notices a close within this time. */
  private static final long RECEIVE_TIMEOUT_MICROS = 250_000;

  private NativeSockets() {}

  /**
   * Why a native transport cannot run here (switched off by {@code -DdisableProperty=true}, or
   * ha-linux's cause: not Linux, libc not loadable through JNA, not LP64, which the recvmsg layouts
   * assume), or {@code null} if it can.
   */
  public static @Nullable Throwable unavailability(String disableProperty) {
    if (Boolean.getBoolean(disableProperty)) {
      return new UnsupportedOperationException("disabled by -D" + disableProperty + "=true");
    }
    return LinuxNative.unavailabilityCause();
  }

  /** A buffer for a socket option or address in native byte order. */
  public static ByteBuffer nat(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
  }

  /** An int socket option. */
  public static void setInt(int fd, int level, int name, int value) {
    Libc.INSTANCE.setsockopt(fd, level, name, new IntByReference(value), 4);
  }

  /** {@code SO_RCVTIMEO} of 250 ms, so that a receive thread notices a close within that time. */
  public static void setReceiveTimeout(int fd) {
    Libc.Timeval timeout = new Libc.Timeval(RECEIVE_TIMEOUT_MICROS);
    Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, timeout.size());
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

  /** Whether a receive failed only for its timeout or a signal: look at the closed flag again. */
  public static boolean isRetry(LastErrorException e) {
    return Errno.EAGAIN.is(e.getErrorCode()) || Errno.EINTR.is(e.getErrorCode());
  }

  /** An errno for a message: "errno 19, ENODEV (No such device)". */
  public static String errno(LastErrorException e) {
    return Errno.describe(e.getErrorCode());
  }
}
