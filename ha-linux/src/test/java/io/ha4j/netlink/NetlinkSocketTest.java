package io.ha4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ha4j.linux.Errno;
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
      assertEquals(Errno.ENOENT.number(), e.errno());
    }
  }

  @Test
  void controllerDumpListsFamiliesInManyParts() {
    assumeTrue(NetlinkSocket.unavailabilityCause() == null,
        () -> "skipped: netlink unavailable: " + NetlinkSocket.unavailabilityCause());
    try (NetlinkConnection c = new NetlinkConnection(NetlinkSocket.open(Netlink.PROTOCOL_GENERIC))) {
      // genetlink.c ctrl_dumpfamily: one CTRL_CMD_NEWFAMILY per registered family, nlctrl among them.
      java.util.List<NetlinkMessage> parts = c.dump(MessageBuilder.genl(Netlink.GENL_ID_CTRL, 0, Netlink.CTRL_CMD_GETFAMILY, 1));
      org.junit.jupiter.api.Assertions.assertTrue(parts.size() > 1, "families: " + parts.size());
      org.junit.jupiter.api.Assertions.assertTrue(parts.stream().map(GenericNetlink::parseFamily)
          .anyMatch(f -> f.name().equals("nlctrl") && f.id() == Netlink.GENL_ID_CTRL));
    }
  }

  @Test
  void receiveTimesOutWhenNothingComes() {
    assumeTrue(NetlinkSocket.unavailabilityCause() == null,
        () -> "skipped: netlink unavailable: " + NetlinkSocket.unavailabilityCause());
    try (NetlinkSocket s = NetlinkSocket.open(Netlink.PROTOCOL_GENERIC)) {
      NetlinkException e = org.junit.jupiter.api.Assertions.assertThrows(NetlinkException.class,
          () -> s.receive(java.time.Duration.ofMillis(20)));
      assertEquals(NetlinkException.Kind.TIMEOUT, e.kind());
    }
  }

  @Test
  void kernelExtendedAckTextArrives() {
    assumeTrue(NetlinkSocket.unavailabilityCause() == null,
        () -> "skipped: netlink unavailable: " + NetlinkSocket.unavailabilityCause());
    try (NetlinkConnection c = new NetlinkConnection(NetlinkSocket.open(Netlink.PROTOCOL_GENERIC))) {
      // ctrl_policy has CTRL_ATTR_FAMILY_ID as NLA_U16: a one-byte value fails policy validation,
      // and with NETLINK_EXT_ACK the kernel says so in NLMSGERR_ATTR_MSG.
      MessageBuilder bad = MessageBuilder.genl(Netlink.GENL_ID_CTRL, 0, Netlink.CTRL_CMD_GETFAMILY, 1)
          .u8(Netlink.CTRL_ATTR_FAMILY_ID, 1);
      NetlinkException e = org.junit.jupiter.api.Assertions.assertThrows(NetlinkException.class, () -> c.request(bad));
      org.junit.jupiter.api.Assertions.assertTrue(e.errno() == Errno.EINVAL.number() || Errno.ERANGE.is(e.errno()), e.getMessage()); // ERANGE on newer kernels
      org.junit.jupiter.api.Assertions.assertNotNull(e.extendedAck(), e.getMessage());
    }
  }
}
