package io.ha4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The JNA socket against this machine's kernel: the controller family needs no privileges or modules. */
class NetlinkSocketTest {

  @Test
  void resolvesTheControllerItself() {
    assumeTrue(NetlinkSocket.unavailabilityCause() == null,
        () -> "skipped: netlink unavailable: " + NetlinkSocket.unavailabilityCause());
    try (NetlinkConnection c = new NetlinkConnection(NetlinkSocket.open(Netlink.PROTOCOL_GENERIC))) {
      assertNotEquals(0, c.portId());
      // linux/genetlink.h: the controller "nlctrl" is GENL_ID_CTRL.
      assertEquals(Netlink.GENL_ID_CTRL, new GenericNetlink(c).familyId("nlctrl"));
    }
  }

  @Test
  void unknownFamilyIsEnoent() {
    assumeTrue(NetlinkSocket.unavailabilityCause() == null,
        () -> "skipped: netlink unavailable: " + NetlinkSocket.unavailabilityCause());
    try (NetlinkConnection c = new NetlinkConnection(NetlinkSocket.open(Netlink.PROTOCOL_GENERIC))) {
      NetlinkException e = org.junit.jupiter.api.Assertions.assertThrows(NetlinkException.class,
          () -> new GenericNetlink(c).familyId("NOSUCHFAMILY"));
      // genetlink.c ctrl_getfamily: an unknown name is -ENOENT.
      assertEquals(Netlink.ENOENT, e.errno());
    }
  }
}
