package io.ha4j.vip.linux.internal;

import com.sun.jna.LastErrorException;
import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressException.Reason;

/** errno to {@link AddressException}. */
public final class Errors {

  private static final int EPERM = 1;
  private static final int ENOENT = 2;
  private static final int ENXIO = 6;
  private static final int EACCES = 13;
  private static final int ENODEV = 19;
  private static final int EINVAL = 22;

  private Errors() {}

  /** The exception for a failed system call. */
  public static AddressException of(String what, LastErrorException e) {
    int errno = e.getErrorCode();
    Reason reason = switch (errno) {
      case EPERM, EACCES -> Reason.NOT_PERMITTED;
      case ENODEV, ENXIO -> Reason.NO_SUCH_INTERFACE;
      case EINVAL -> Reason.INVALID;
      case ENOENT -> Reason.OTHER;
      default -> Reason.OTHER;
    };
    String hint = reason == Reason.NOT_PERMITTED ? " (needs CAP_NET_ADMIN and CAP_NET_RAW)" : "";
    return new AddressException(reason, errno, what + " failed" + hint, e);
  }
}
