package io.ha4j.vip;

import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressException.Reason;
import io.ha4j.netlink.NetlinkException;
import org.jspecify.annotations.Nullable;

/** What the errno of an rtnetlink answer (asm-generic/errno-base.h, errno.h) means to a VIP owner. */
final class RouteErrors {

  static final int EPERM = 1;
  static final int EACCES = 13;
  static final int EEXIST = 17;
  static final int ENODEV = 19;
  static final int EINVAL = 22;
  static final int EADDRNOTAVAIL = 99;

  private RouteErrors() {}

  /** The typed error of a failed {@code what} ("adding 198.51.100.1/24 on eth0"), with a hint for the operator. */
  static AddressException failure(int errno, @Nullable NetlinkException cause, String what) {
    Reason reason = switch (errno) {
      case ENODEV -> Reason.NO_SUCH_INTERFACE;
      case EPERM, EACCES -> Reason.NOT_PERMITTED;
      case EINVAL -> Reason.INVALID;
      default -> Reason.OTHER;
    };
    String hint = reason == Reason.NOT_PERMITTED ? " (needs CAP_NET_ADMIN)" : "";
    String detail = cause != null ? ": " + cause.getMessage() : "";
    return new AddressException(reason, errno, what + " failed" + hint + detail, cause);
  }
}
