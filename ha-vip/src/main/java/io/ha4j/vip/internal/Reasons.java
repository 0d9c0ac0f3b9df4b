package io.ha4j.vip.internal;

import io.ha4j.api.address.AddressException.Reason;
import io.ha4j.linux.Errno;

/** The {@link Reason} of an address failure for the kernel's errno: one mapping for ha-vip. */
public final class Reasons {

  private Reasons() {}

  /**
   * EPERM or EACCES: a capability is missing; ENODEV (rtnetlink, if_nametoindex) or ENXIO (an
   * AF_PACKET send to an interface index that is gone): no such interface; EINVAL: the kernel
   * refused the request; anything else: OTHER.
   */
  public static Reason forErrno(int errno) {
    Errno e = Errno.of(errno);
    if (e == null) {
      return Reason.OTHER;
    }
    return switch (e) {
      case EPERM, EACCES -> Reason.NOT_PERMITTED;
      case ENODEV, ENXIO -> Reason.NO_SUCH_INTERFACE;
      case EINVAL -> Reason.INVALID;
      default -> Reason.OTHER;
    };
  }
}
