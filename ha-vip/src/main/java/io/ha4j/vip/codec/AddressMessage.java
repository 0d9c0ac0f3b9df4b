package io.ha4j.vip.codec;

import io.ha4j.api.AddressFamily;
import io.ha4j.netlink.Attributes;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The payload of {@code RTM_NEWADDR}, {@code RTM_DELADDR} and {@code RTM_GETADDR}: {@code struct
 * ifaddrmsg} followed by {@code IFA_*} attributes (linux/if_addr.h), encoded and decoded with the
 * netlink core's {@link MessageBuilder} and {@link Attributes}.
 *
 * <p>Encoding follows iproute2 6.1 byte for byte (checked against its captured requests): attributes
 * in the order IFA_LOCAL, IFA_LABEL, IFA_FLAGS, IFA_ADDRESS; flags that fit in eight bits go in
 * {@code ifa_flags}, wider ones in an IFA_FLAGS attribute instead.
 *
 * @param family AF_INET or AF_INET6
 * @param prefixLength the prefix length (0 in a dump request)
 * @param flags IFA_F_* flags, all 32 bits (IFA_FLAGS wins over ifa_flags when decoding)
 * @param scope RT_SCOPE_* (0 = universe)
 * @param index interface index (0 in a dump request for all interfaces)
 * @param local IFA_LOCAL, or null
 * @param address IFA_ADDRESS, or null
 * @param label IFA_LABEL, or null
 */
public record AddressMessage(
    AddressFamily family,
    int prefixLength,
    int flags,
    int scope,
    int index,
    @Nullable InetAddress local,
    @Nullable InetAddress address,
    @Nullable String label) {

  /** IFA_F_NODAD: skip duplicate address detection (IPv6). */
  public static final int IFA_F_NODAD = 0x02;
  /** IFA_F_PERMANENT. */
  public static final int IFA_F_PERMANENT = 0x80;
  /** IFA_F_NOPREFIXROUTE: do not add the prefix route. */
  public static final int IFA_F_NOPREFIXROUTE = 0x200;

  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;
  static final int IFA_LABEL = 3;
  static final int IFA_FLAGS = 8;
  /** Bytes of struct ifaddrmsg. */
  public static final int HEADER = 8;

  public AddressMessage {
    Objects.requireNonNull(family, "family");
    if (prefixLength < 0 || prefixLength > family.bits()) {
      throw new IllegalArgumentException("prefixLength must be 0.." + family.bits() + ", was " + prefixLength);
    }
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    if (scope < 0 || scope > 255) {
      throw new IllegalArgumentException("scope must be 0..255, was " + scope);
    }
    checkFamily(family, local, "local");
    checkFamily(family, address, "address");
  }

  private static void checkFamily(AddressFamily family, @Nullable InetAddress a, String field) {
    if (a != null && AddressFamily.of(a) != family) {
      throw new IllegalArgumentException(field + " " + a.getHostAddress() + " is not " + family);
    }
  }

  /** An add or delete of {@code address}/{@code prefixLength} on {@code index}, as iproute2 builds it (IFA_LOCAL = IFA_ADDRESS). */
  public static AddressMessage of(InetAddress address, int prefixLength, int index, int flags, @Nullable String label) {
    return new AddressMessage(AddressFamily.of(address), prefixLength, flags, 0, index, address, address, label);
  }

  /** A dump request for one family on one interface (0 = all). */
  public static AddressMessage dump(AddressFamily family, int index) {
    return new AddressMessage(family, 0, 0, 0, index, null, null, null);
  }

  /** The address this message is about: IFA_LOCAL if present (IPv4 point-to-point keeps the peer in IFA_ADDRESS), else IFA_ADDRESS. */
  public @Nullable InetAddress ownAddress() {
    return local != null ? local : address;
  }

  /** A message of {@code type} with netlink flags {@code nlFlags} carrying this payload. */
  public MessageBuilder toMessage(int type, int nlFlags) {
    MessageBuilder m = new MessageBuilder(type, nlFlags);
    // ifa_flags is only eight bits wide: wider flags travel in IFA_FLAGS alone, as iproute2 does.
    m.putU8(family.number()).putU8(prefixLength).putU8(flags <= 0xff ? flags : 0).putU8(scope).putU32(index);
    if (local != null) {
      m.bytes(IFA_LOCAL, local.getAddress());
    }
    if (label != null) {
      m.string(IFA_LABEL, label);
    }
    if (flags > 0xff) {
      m.u32(IFA_FLAGS, flags);
    }
    if (address != null) {
      m.bytes(IFA_ADDRESS, address.getAddress());
    }
    return m;
  }

  /**
   * Decodes the payload of {@code m}; unknown attributes are skipped.
   *
   * @throws NetlinkException of kind PROTOCOL on a short header, an unknown family or a bad attribute
   */
  public static AddressMessage from(NetlinkMessage m) {
    ByteBuffer p = m.payload();
    if (p.remaining() < HEADER) {
      throw NetlinkException.protocol("ifaddrmsg needs 8 bytes, has " + p.remaining());
    }
    int at = p.position();
    int af = Byte.toUnsignedInt(p.get(at));
    AddressFamily family;
    try {
      family = AddressFamily.ofNumber(af);
    } catch (IllegalArgumentException e) {
      throw NetlinkException.protocol("address family " + af + " is neither AF_INET nor AF_INET6");
    }
    int prefix = Byte.toUnsignedInt(p.get(at + 1));
    int headerFlags = Byte.toUnsignedInt(p.get(at + 2));
    int scope = Byte.toUnsignedInt(p.get(at + 3));
    int index = p.getInt(at + 4);
    if (prefix > family.bits() || index < 0) {
      throw NetlinkException.protocol("prefix length " + prefix + " / index " + index + " impossible for " + family);
    }
    Attributes a = m.attributes(HEADER);
    return new AddressMessage(family, prefix, a.u32(IFA_FLAGS, headerFlags), scope, index,
        inet(family, a, IFA_LOCAL), inet(family, a, IFA_ADDRESS), a.stringOrNull(IFA_LABEL));
  }

  private static @Nullable InetAddress inet(AddressFamily family, Attributes a, int type) {
    if (!a.has(type)) {
      return null;
    }
    byte[] b = a.bytes(type, -1);
    if (b.length != family.bits() / 8) {
      throw NetlinkException.protocol(family + " address attribute " + type + " has " + b.length + " bytes");
    }
    try {
      return b.length == 4 ? InetAddress.getByAddress(b) : Inet6Address.getByAddress(null, b, -1);
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4 or 16 byte address is always valid", e);
    }
  }
}
