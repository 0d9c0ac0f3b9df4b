package io.ha4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.linux.Errno;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The message and attribute codec against bytes laid out by hand from linux/netlink.h and genetlink.h. */
class NetlinkCodecTest {

  @BeforeAll
  static void littleEndianHost() {
    // The hand-made bytes below are little endian, as are the captured vectors (x86_64).
    assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "tests assume a little-endian host");
  }

  @Test
  void getFamilyRequestMatchesHandLayoutAndIpvsadmCapture() {
    // Captured: ipvs-ipvsadm-netlink.hex, first REQ (seq 0x6b06f1c7, pid 0x3cc00088).
    String expected = ""
        + "20000000" // nlmsg_len = 32
        + "1000" //     nlmsg_type = GENL_ID_CTRL (0x10)
        + "0500" //     nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        + "c7f1066b" // nlmsg_seq
        + "8800c03c" // nlmsg_pid
        + "03" //       genlmsghdr.cmd = CTRL_CMD_GETFAMILY
        + "01" //       genlmsghdr.version = 1
        + "0000" //     reserved
        + "0900" //     nla_len = 9 (4 + "IPVS\0")
        + "0200" //     nla_type = CTRL_ATTR_FAMILY_NAME
        + "4950565300" // "IPVS\0"
        + "000000"; //  padding to 4 bytes
    MessageBuilder m = GenericNetlink.getFamilyRequest("IPVS").addFlags(Netlink.F_REQUEST | Netlink.F_ACK);
    assertEquals(expected, Hex.of(m.build(0x6b06f1c7, 0x3cc00088)));
  }

  @Test
  void parsesControllerReplyFromCapture() {
    // Captured: the kernel's CTRL_CMD_NEWFAMILY for IPVS (388 bytes, ops nest included).
    String hex = "8401000010000000c7f1066b8800c03c01020000090002004950565300000000060001002000000008000300010000000800040000000000080005000600000044010600140001000800010001000000080002000b000000140002000800010002000000080002000b000000140003000800010003000000080002000b000000140004000800010004000000080002000f000000140005000800010005000000080002000b000000140006000800010006000000080002000b000000140007000800010007000000080002000b000000140008000800010008000000080002000d000000140009000800010009000000080002000b00000014000a00080001000a000000080002000b00000014000b00080001000b000000080002000d00000014000c00080001000c000000080002000b00000014000d00080001000d000000080002000b00000014000e00080001000f000000080002000b00000014000f000800010010000000080002000b000000140010000800010011000000080002000b000000";
    List<NetlinkMessage> ms = NetlinkMessage.parseAll(Hex.buffer(hex));
    assertEquals(1, ms.size());
    NetlinkMessage m = ms.get(0);
    assertEquals(0x10, m.type());
    assertEquals(0x6b06f1c7, m.sequence());
    assertEquals(Netlink.CTRL_CMD_NEWFAMILY, m.genlCommand());
    GenericNetlink.Family f = GenericNetlink.parseFamily(m);
    assertEquals(new GenericNetlink.Family("IPVS", 0x20, 1, 0, 6), f);
  }

  @Test
  void attributesAreAlignedAndNested() {
    MessageBuilder m = new MessageBuilder(0x20, 0);
    int nest = m.beginNested(1);
    m.u8(2, 0xab).u16(3, 0x1234).u16be(4, 80).u32(5, 7).u64(6, 1L << 40).string(7, "rr");
    m.endNested(nest);
    m.flag(8);
    String expected = ""
        + "4c000000" + "2000" + "0000" + "01000000" + "02000000" // header: len 76, seq 1, pid 2
        + "3800" + "0180" //            nest len 56, type 1 | NLA_F_NESTED
        + "0500" + "0200" + "ab000000" // u8 0xab, padded
        + "0600" + "0300" + "34120000" // u16 native
        + "0600" + "0400" + "00500000" // be16 80 = 00 50
        + "0800" + "0500" + "07000000" // u32
        + "0c00" + "0600" + "0000000000010000" // u64 2^40
        + "0700" + "0700" + "72720000" // "rr\0" + 1 pad
        + "0400" + "0800"; //              flag
    assertEquals(expected, Hex.of(m.build(1, 2)));

    NetlinkMessage parsed = NetlinkMessage.parseAll(m.build(1, 2)).get(0);
    Attributes outer = parsed.attributes(0);
    Attributes inner = outer.nested(1);
    assertEquals(0xab, inner.u8(2));
    assertEquals(0x1234, inner.u16(3));
    assertEquals(80, inner.u16be(4));
    assertEquals(7, inner.u32(5));
    assertEquals(1L << 40, inner.u64(6));
    assertEquals("rr", inner.string(7));
    assertTrue(outer.has(8));
  }

  @Test
  void errorWithExtendedAckCarriesErrnoAndText() {
    // struct nlmsgerr with NLM_F_CAPPED | NLM_F_ACK_TLVS (linux/netlink.h), built by hand:
    String hex = ""
        + "3c000000" + "0200" + "0003" + "05000000" + "09000000" // len 60, NLMSG_ERROR, flags 0x300
        + "eaffffff" //                                          error = -22 (EINVAL)
        + "20000000" + "2000" + "0500" + "05000000" + "09000000" // the request's header only
        + "0d00" + "0100" + "626164206174747200" + "000000" //      NLMSGERR_ATTR_MSG "bad attr" + NUL, len 13, 3 pad
        + "0800" + "0200" + "14000000"; //                          NLMSGERR_ATTR_OFFS = 20
    NetlinkMessage m = NetlinkMessage.parseAll(Hex.buffer(hex)).get(0);
    NetlinkException e = NetlinkConnection.errorOf(m);
    assertEquals(NetlinkException.Kind.KERNEL, e.kind());
    assertEquals(22, e.errno());
    assertEquals("bad attr", e.extendedAck());
  }

  @Test
  void uncappedErrorFromCaptureHasNoText() {
    // Captured: '-E -t 198.51.100.10:443' -> ESRCH with the whole request echoed (ipvsadm sets no CAP_ACK).
    String hex = "7c00000002000000caf1066b8e00c07afdffffff6800000020000500caf1066b8e00c07a02010000540001800600010002000000060002000600000014000300c633640a0000000000000000000000000600040001bb000008000600776c63000c00070000000000ffffffff080008000000000008000900ffffffff";
    NetlinkException e = NetlinkConnection.errorOf(NetlinkMessage.parseAll(Hex.buffer(hex)).get(0));
    assertEquals(Errno.ESRCH.number(), e.errno());
    assertNull(e.extendedAck());
  }

  @Test
  void ackIsNoError() {
    // Captured: an ack (error 0, NLM_F_CAPPED).
    String hex = "2400000002000001c7f1066b8800c03c000000002000000010000500c7f1066b8800c03c";
    assertNull(NetlinkConnection.errorOf(NetlinkMessage.parseAll(Hex.buffer(hex)).get(0)));
  }

  @Test
  void badLengthsAreProtocolErrors() {
    assertThrows(NetlinkException.class, () -> NetlinkMessage.parseAll(Hex.buffer("0f000000020000000000000000000000")));
    assertThrows(NetlinkException.class, () -> NetlinkMessage.parseAll(Hex.buffer("ff000000020000000000000000000000")));
    assertThrows(NetlinkException.class, () -> NetlinkMessage.parseAll(Hex.buffer("1000000002000000000000000000")));
    assertThrows(NetlinkException.class, () -> Attributes.parse(Hex.buffer("0300")));
    assertThrows(NetlinkException.class, () -> Attributes.parse(Hex.buffer("08000100aabb")));
    Attributes a = Attributes.parse(Hex.buffer("05000100aa000000"));
    NetlinkException e = assertThrows(NetlinkException.class, () -> a.u32(1));
    assertEquals(NetlinkException.Kind.PROTOCOL, e.kind());
  }
}
