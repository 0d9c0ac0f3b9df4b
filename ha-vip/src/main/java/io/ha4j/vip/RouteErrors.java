package io.ha4j.vip;

import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressException.Reason;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.vip.internal.Reasons;
import org.jspecify.annotations.Nullable;

/** What the errno of an rtnetlink answer means to a VIP owner, with a hint for the operator. */
final class RouteErrors {

  private RouteErrors() {}

  /** The typed error of a failed {@code what} ("adding 198.51.100.1/24 on eth0"), with a hint for the operator. */
  static AddressException failure(int errno, @Nullable NetlinkException cause, String what) {
    Reason reason = Reasons.forErrno(errno);
    String hint = reason == Reason.NOT_PERMITTED ? " (needs CAP_NET_ADMIN)" : "";
    String detail = cause != null ? ": " + cause.getMessage() : "";
    return new AddressException(reason, errno, what + " failed" + hint + detail, cause);
  }
}
