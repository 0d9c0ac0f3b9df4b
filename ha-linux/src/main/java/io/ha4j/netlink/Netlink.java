package io.ha4j.netlink;

/**
 * Numbers from {@code include/uapi/linux/netlink.h} and {@code genetlink.h} that every family
 * shares, and the 4-byte alignment rule ({@code NLMSG_ALIGN}/{@code NLA_ALIGN}).
 */
public final class Netlink {

  private Netlink() {}

  /** {@code NETLINK_ROUTE}: rtnetlink (addresses, links, routes). */
  public static final int PROTOCOL_ROUTE = 0;
  /** {@code NETLINK_GENERIC}: generic netlink, where IPVS lives. */
  public static final int PROTOCOL_GENERIC = 16;

  /** Size of {@code struct nlmsghdr}: len u32, type u16, flags u16, seq u32, pid u32. */
  public static final int HEADER_LENGTH = 16;
  /** Size of {@code struct nlattr}: len u16, type u16. */
  public static final int ATTRIBUTE_HEADER_LENGTH = 4;
  /** Size of {@code struct genlmsghdr}: cmd u8, version u8, reserved u16. */
  public static final int GENL_HEADER_LENGTH = 4;

  /** {@code NLMSG_NOOP}. */
  public static final int NLMSG_NOOP = 1;
  /** {@code NLMSG_ERROR}: an error, or an ack when the errno is 0. */
  public static final int NLMSG_ERROR = 2;
  /** {@code NLMSG_DONE}: end of a multi-part dump. */
  public static final int NLMSG_DONE = 3;
  /** {@code NLMSG_OVERRUN}. */
  public static final int NLMSG_OVERRUN = 4;
  /** Types below this are control messages ({@code NLMSG_MIN_TYPE}). */
  public static final int NLMSG_MIN_TYPE = 0x10;

  /** {@code NLM_F_REQUEST}. */
  public static final int F_REQUEST = 0x01;
  /** {@code NLM_F_MULTI}: part of a multi-part reply, ended by {@code NLMSG_DONE}. */
  public static final int F_MULTI = 0x02;
  /** {@code NLM_F_ACK}: ask for an ack. */
  public static final int F_ACK = 0x04;
  /** {@code NLM_F_DUMP_INTR}: the dump was interrupted by a change; it may be inconsistent. */
  public static final int F_DUMP_INTR = 0x10;
  /** {@code NLM_F_ROOT}. */
  public static final int F_ROOT = 0x100;
  /** {@code NLM_F_MATCH}. */
  public static final int F_MATCH = 0x200;
  /** {@code NLM_F_DUMP} = ROOT | MATCH. */
  public static final int F_DUMP = F_ROOT | F_MATCH;
  /** {@code NLM_F_REPLACE} (new requests). */
  public static final int F_REPLACE = 0x100;
  /** {@code NLM_F_EXCL} (new requests). */
  public static final int F_EXCL = 0x200;
  /** {@code NLM_F_CREATE} (new requests). */
  public static final int F_CREATE = 0x400;
  /** {@code NLM_F_APPEND} (new requests). */
  public static final int F_APPEND = 0x800;
  /** {@code NLM_F_CAPPED} on an error message: the request's payload was left out. */
  public static final int F_CAPPED = 0x100;
  /** {@code NLM_F_ACK_TLVS} on an error message: extended-ack attributes follow. */
  public static final int F_ACK_TLVS = 0x200;

  /** {@code NLA_F_NESTED}. */
  public static final int NLA_F_NESTED = 0x8000;
  /** {@code NLA_F_NET_BYTEORDER}. */
  public static final int NLA_F_NET_BYTEORDER = 0x4000;
  /** {@code NLA_TYPE_MASK}: the type without the two flag bits. */
  public static final int NLA_TYPE_MASK = 0x3fff;

  /** {@code NLMSGERR_ATTR_MSG}: the extended-ack text. */
  public static final int NLMSGERR_ATTR_MSG = 1;
  /** {@code NLMSGERR_ATTR_OFFS}: offset of the offending attribute in the request. */
  public static final int NLMSGERR_ATTR_OFFS = 2;

  /** {@code GENL_ID_CTRL}: the generic netlink controller's family id. */
  public static final int GENL_ID_CTRL = 0x10;
  /** {@code CTRL_CMD_NEWFAMILY}: the controller's reply. */
  public static final int CTRL_CMD_NEWFAMILY = 1;
  /** {@code CTRL_CMD_GETFAMILY}. */
  public static final int CTRL_CMD_GETFAMILY = 3;
  /** {@code CTRL_ATTR_FAMILY_ID} (u16). */
  public static final int CTRL_ATTR_FAMILY_ID = 1;
  /** {@code CTRL_ATTR_FAMILY_NAME} (string). */
  public static final int CTRL_ATTR_FAMILY_NAME = 2;
  /** {@code CTRL_ATTR_VERSION} (u32). */
  public static final int CTRL_ATTR_VERSION = 3;
  /** {@code CTRL_ATTR_HDRSIZE} (u32). */
  public static final int CTRL_ATTR_HDRSIZE = 4;
  /** {@code CTRL_ATTR_MAXATTR} (u32). */
  public static final int CTRL_ATTR_MAXATTR = 5;

  /** Rounds {@code length} up to the next multiple of 4 ({@code NLMSG_ALIGN}, {@code NLA_ALIGN}). */
  public static int align(int length) {
    return (length + 3) & ~3;
  }
}
