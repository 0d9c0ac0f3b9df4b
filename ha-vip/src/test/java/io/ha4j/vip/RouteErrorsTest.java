package io.ha4j.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressException.Reason;
import io.ha4j.linux.Errno;
import io.ha4j.netlink.NetlinkException;
import org.junit.jupiter.api.Test;

/** Errnos from asm-generic/errno-base.h: the rtnetlink answers of RTM_NEWADDR/RTM_DELADDR/RTM_GETLINK. */
class RouteErrorsTest {

  @Test
  void epermIsNotPermittedWithTheCapabilityHint() {
    AddressException e = RouteErrors.failure(Errno.EPERM.number(), null, "adding 198.51.100.1/24 on eth0");
    assertEquals(Reason.NOT_PERMITTED, e.reason());
    assertEquals("adding 198.51.100.1/24 on eth0 failed (needs CAP_NET_ADMIN) (errno 1)", e.getMessage());
  }

  @Test
  void enodevIsNoSuchInterfaceAndCarriesTheNetlinkCause() {
    NetlinkException cause =
        new NetlinkException(NetlinkException.Kind.KERNEL, Errno.ENODEV.number(), "RTM_GETLINK", null, null);
    AddressException e = RouteErrors.failure(Errno.ENODEV.number(), cause, "looking up interface nosuchdev");
    assertEquals(Reason.NO_SUCH_INTERFACE, e.reason());
    assertSame(cause, e.getCause());
    assertEquals("looking up interface nosuchdev failed: RTM_GETLINK (errno 19) (errno 19)", e.getMessage());
  }

  @Test
  void einvalIsInvalidAndOthersAreOther() {
    assertEquals(Reason.INVALID, RouteErrors.failure(Errno.EINVAL.number(), null, "adding").reason());
    assertEquals(Reason.OTHER, RouteErrors.failure(Errno.ENOBUFS.number(), null, "listing INET addresses").reason());
  }
}
