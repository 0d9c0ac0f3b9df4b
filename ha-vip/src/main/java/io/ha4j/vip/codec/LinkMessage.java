package io.ha4j.vip.codec;

import io.ha4j.netlink.Attributes;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The payload of {@code RTM_NEWLINK}, {@code RTM_DELLINK} and {@code RTM_GETLINK}: {@code struct
 * ifinfomsg} followed by the few {@code IFLA_*} attributes ha4j needs (linux/rtnetlink.h,
 * linux/if_link.h).
 *
 * @param index interface index (0 in a request by name)
 * @param type ARPHRD_* device type (1 = Ethernet)
 * @param flags IFF_* flags
 * @param name IFLA_IFNAME, or null
 * @param hardwareAddress IFLA_ADDRESS when it is a 6-byte MAC, or null
 * @param operState IFLA_OPERSTATE (RFC 2863: 6 = up, 2 = down ...), or -1 if absent
 */
public record LinkMessage(
    int index, int type, int flags, @Nullable String name, @Nullable MacAddress hardwareAddress, int operState) {

  /** IFF_UP: administratively up. */
  public static final int IFF_UP = 0x1;
  /** IFF_BROADCAST. */
  public static final int IFF_BROADCAST = 0x2;
  /** IFF_RUNNING: operationally up (carrier). */
  public static final int IFF_RUNNING = 0x40;
  /** IFF_MULTICAST. */
  public static final int IFF_MULTICAST = 0x1000;
  /** IFF_LOWER_UP: the driver signals L1 up. */
  public static final int IFF_LOWER_UP = 0x10000;
  /** IF_OPER_UP. */
  public static final int IF_OPER_UP = 6;
  /** IF_OPER_DOWN. */
  public static final int IF_OPER_DOWN = 2;
  /** IF_OPER_UNKNOWN (loopback and some virtual devices). */
  public static final int IF_OPER_UNKNOWN = 0;
  /** ARPHRD_ETHER. */
  public static final int ARPHRD_ETHER = 1;

  static final int IFLA_ADDRESS = 1;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_OPERSTATE = 16;
  static final int IFLA_EXT_MASK = 29;
  /** RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS, as iproute2 asks. */
  static final int EXT_MASK = 9;
  /** Bytes of struct ifinfomsg. */
  public static final int HEADER = 16;

  public LinkMessage {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
  }

  /** A {@code RTM_GETLINK} request payload for the interface called {@code name}, as iproute2 6.1 builds it. */
  public static LinkMessage byName(String name) {
    Objects.requireNonNull(name, "name");
    return new LinkMessage(0, 0, 0, name, null, -1);
  }

  /** A {@code RTM_GETLINK} request payload for interface {@code index}. */
  public static LinkMessage byIndex(int index) {
    return new LinkMessage(index, 0, 0, null, null, -1);
  }

  /** Up and with carrier: IFF_UP and IFF_RUNNING, and an operational state of up or unknown. */
  public boolean isUsable() {
    return (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0
        && (operState < 0 || operState == IF_OPER_UP || operState == IF_OPER_UNKNOWN);
  }

  /**
   * A message of {@code type} with {@code nlFlags}: a request (ifinfomsg, IFLA_EXT_MASK,
   * IFLA_IFNAME) or, when a MAC or operstate is set, what the kernel's answer carries (for fakes).
   */
  public MessageBuilder toMessage(int type, int nlFlags) {
    MessageBuilder m = new MessageBuilder(type, nlFlags);
    m.putU8(0).putU8(0).putU16(this.type).putU32(index).putU32(flags).putU32(0);
    boolean request = hardwareAddress == null && operState < 0;
    if (request) {
      m.u32(IFLA_EXT_MASK, EXT_MASK);
    }
    if (name != null) {
      m.string(IFLA_IFNAME, name);
    }
    if (hardwareAddress != null) {
      m.bytes(IFLA_ADDRESS, hardwareAddress.octets());
    }
    if (operState >= 0) {
      m.u8(IFLA_OPERSTATE, operState);
    }
    return m;
  }

  /**
   * Decodes the payload of {@code m}; attributes other than name, MAC and operstate are skipped.
   *
   * @throws NetlinkException of kind PROTOCOL on a short header or a bad attribute
   */
  public static LinkMessage from(NetlinkMessage m) {
    ByteBuffer p = m.payload();
    if (p.remaining() < HEADER) {
      throw NetlinkException.protocol("ifinfomsg needs 16 bytes, has " + p.remaining());
    }
    int at = p.position();
    int type = Short.toUnsignedInt(p.getShort(at + 2));
    int index = p.getInt(at + 4);
    int flags = p.getInt(at + 8);
    if (index < 0) {
      throw NetlinkException.protocol("interface index " + index + " is negative");
    }
    Attributes a = m.attributes(HEADER);
    MacAddress mac = null;
    if (a.has(IFLA_ADDRESS)) {
      byte[] b = a.bytes(IFLA_ADDRESS, -1);
      if (b.length == MacAddress.LENGTH) {
        mac = MacAddress.of(b);
      }
    }
    return new LinkMessage(index, type, flags, a.stringOrNull(IFLA_IFNAME), mac, a.u8(IFLA_OPERSTATE, -1));
  }
}
