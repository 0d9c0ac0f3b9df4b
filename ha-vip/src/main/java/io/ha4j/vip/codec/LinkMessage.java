package io.ha4j.vip.codec;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The payload of {@code RTM_NEWLINK}, {@code RTM_DELLINK} and {@code RTM_GETLINK}: {@code struct
 * ifinfomsg} followed by the few {@code IFLA_*} attributes ha4j needs (linux/rtnetlink.h,
 * linux/if_link.h), in host byte order.
 *
 * @param index interface index (0 in a request by name)
 * @param type ARPHRD_* device type (1 = Ethernet)
 * @param flags IFF_* flags
 * @param name IFLA_IFNAME, or null
 * @param hardwareAddress IFLA_ADDRESS when it is a 6-byte MAC, or null
 * @param operState IFLA_OPERSTATE (RFC 2863: 6 = up, 2 = down, 7 = dormant ...), or -1 if absent
 */
public record LinkMessage(
    int index, int type, int flags, @Nullable String name, @Nullable MacAddress hardwareAddress, int operState) {

  /** IFF_UP: administratively up. */
  public static final int IFF_UP = 0x1;
  /** IFF_RUNNING: operationally up (carrier). */
  public static final int IFF_RUNNING = 0x40;
  /** IFF_LOWER_UP: the driver signals L1 up. */
  public static final int IFF_LOWER_UP = 0x10000;
  /** IF_OPER_UP. */
  public static final int IF_OPER_UP = 6;
  /** IF_OPER_UNKNOWN (loopback and some virtual devices). */
  public static final int IF_OPER_UNKNOWN = 0;

  static final int IFLA_ADDRESS = 1;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_OPERSTATE = 16;
  static final int IFLA_EXT_MASK = 29;
  /** RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS, as iproute2 asks. */
  static final int EXT_MASK = 9;
  private static final int HEADER = 16;

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
   * Writes the payload as a request does (ifinfomsg, IFLA_EXT_MASK, IFLA_IFNAME) or, when a MAC or
   * operstate is set, as the kernel's notification would carry them (for fakes).
   */
  public void write(ByteBuffer out) {
    out.put((byte) 0); // AF_UNSPEC
    out.put((byte) 0);
    out.putShort((short) type);
    out.putInt(index);
    out.putInt(flags);
    out.putInt(0); // ifi_change
    if (hardwareAddress == null && operState < 0) {
      RtAttributes.putInt(out, IFLA_EXT_MASK, EXT_MASK);
    }
    if (name != null) {
      RtAttributes.putString(out, IFLA_IFNAME, name);
    }
    if (hardwareAddress != null) {
      RtAttributes.put(out, IFLA_ADDRESS, hardwareAddress.octets());
    }
    if (operState >= 0) {
      RtAttributes.put(out, IFLA_OPERSTATE, new byte[] {(byte) operState});
    }
  }

  /** Encoded length of {@link #write}. */
  public int length() {
    int n = HEADER;
    if (hardwareAddress == null && operState < 0) {
      n += 8;
    }
    if (name != null) {
      n += RtAttributes.align(4 + name.length() + 1);
    }
    if (hardwareAddress != null) {
      n += 12;
    }
    if (operState >= 0) {
      n += 8;
    }
    return n;
  }

  /** Reads a payload up to the buffer's limit; attributes other than name, MAC and operstate are skipped. */
  public static LinkMessage read(ByteBuffer in) {
    if (in.remaining() < HEADER) {
      throw new MalformedFrameException("ifinfomsg needs 16 bytes, has " + in.remaining());
    }
    in.get();
    in.get();
    int type = in.getShort() & 0xffff;
    int index = in.getInt();
    int flags = in.getInt();
    in.getInt();
    Object[] found = new Object[3];
    RtAttributes.forEach(in, (t, value) -> {
      switch (t) {
        case IFLA_IFNAME -> found[0] = RtAttributes.string(value);
        case IFLA_ADDRESS -> {
          if (value.remaining() == MacAddress.LENGTH) {
            found[1] = MacAddress.read(value.duplicate());
          }
        }
        case IFLA_OPERSTATE -> {
          if (value.remaining() >= 1) {
            found[2] = value.get(value.position()) & 0xff;
          }
        }
        default -> { }
      }
    });
    if (index < 0) {
      throw new MalformedFrameException("interface index " + index + " is negative");
    }
    return new LinkMessage(
        index, type, flags, (String) found[0], (MacAddress) found[1], found[2] == null ? -1 : (Integer) found[2]);
  }
}
