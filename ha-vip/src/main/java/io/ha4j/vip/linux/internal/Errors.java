package io.ha4j.vip.linux.internal;

import com.sun.jna.LastErrorException;
import io.ha4j.linux.internal.Libc;
import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressException.Reason;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetworkNamespace;
import io.ha4j.vip.internal.Reasons;
import java.util.function.IntSupplier;

/** errno to {@link AddressException}. */
public final class Errors {

  private Errors() {}

  /**
   * Runs {@code open} (which returns a file descriptor) inside the network namespace at {@code
   * path}, with the netlink core's namespace runner.
   */
  public static int inNamespace(String path, IntSupplier open) {
    try {
      return NetworkNamespace.call(path, open::getAsInt);
    } catch (NetlinkException e) {
      throw of("entering network namespace " + path, e.errno(), e);
    }
  }

  /** Closes descriptor {@code fd}, which is released whatever close(2) says. */
  public static void closeQuietly(int fd) {
    try {
      Libc.INSTANCE.close(fd);
    } catch (LastErrorException e) {
      // released either way
    }
  }

  /** The exception for a failed system call. */
  public static AddressException of(String what, LastErrorException e) {
    return of(what, e.getErrorCode(), e);
  }

  private static AddressException of(String what, int errno, Exception e) {
    Reason reason = Reasons.forErrno(errno);
    String hint = reason == Reason.NOT_PERMITTED ? " (needs CAP_NET_ADMIN and CAP_NET_RAW)" : "";
    return new AddressException(reason, errno, what + " failed" + hint, e);
  }
}
