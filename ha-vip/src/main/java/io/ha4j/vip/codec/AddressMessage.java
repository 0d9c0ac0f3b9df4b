package io.ha4j.vip.codec;

import io.ha4j.api.AddressFamily;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The payload of {@code RTM_NEWADDR}, {@code RTM_DELADDR} and {@code RTM_GETADDR}: {@code struct
 * ifaddrmsg} followed by {@code IFA_*} attributes (linux/if_addr.h), in host byte order.
 *
 * <p>Encoding follows iproute2 6.1 byte for byte (checked against its captured requests): attributes
 * in the order IFA_LOCAL, IFA_LABEL, IFA_FLAGS, IFA_ADDRESS; flags that fit in eight bits go in
 * {@code ifa_flags}, wider ones in an IFA_FLAGS attribute instead.
 *
 * @param family AF_INET or AF_INET6
 * @param prefixLength the prefix length (0 in a dump request)
 * @param flags IFA_F_* flags, all 32 bits (merged from ifa_flags and IFA_FLAGS when decoding)
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
  /** IFA_F_DADFAILED. */
  public static final int IFA_F_DADFAILED = 0x08;
  /** IFA_F_TENTATIVE. */
  public static final int IFA_F_TENTATIVE = 0x40;
  /** IFA_F_PERMANENT. */
  public static final int IFA_F_PERMANENT = 0x80;
  /** IFA_F_NOPREFIXROUTE: do not add the prefix route. */
  public static final int IFA_F_NOPREFIXROUTE = 0x200;

  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;
  static final int IFA_LABEL = 3;
  static final int IFA_FLAGS = 8;
  private static final int HEADER = 8;

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

  /** A request to add or delete {@code address}/{@code prefixLength} on {@code index}, as iproute2 builds it (IFA_LOCAL = IFA_ADDRESS). */
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

  /** Encoded length of the payload. */
  public int length() {
    int n = HEADER;
    if (address != null) {
      n += RtAttributes.align(4 + address.getAddress().length);
    }
    if (label != null) {
      n += RtAttributes.align(4 + label.length() + 1);
    }
    if (flags > 0xff) {
      n += 8;
    }
    if (local != null) {
      n += RtAttributes.align(4 + local.getAddress().length);
    }
    return n;
  }

  /** Writes the payload; {@code out} must be in host (native) byte order. */
  public void write(ByteBuffer out) {
    out.put((byte) family.number());
    out.put((byte) prefixLength);
    out.put((byte) (flags <= 0xff ? flags : 0));
    out.put((byte) scope);
    out.putInt(index);
    if (local != null) {
      RtAttributes.put(out, IFA_LOCAL, local.getAddress());
    }
    if (label != null) {
      RtAttributes.putString(out, IFA_LABEL, label);
    }
    if (flags > 0xff) {
      RtAttributes.putInt(out, IFA_FLAGS, flags);
    }
    if (address != null) {
      RtAttributes.put(out, IFA_ADDRESS, address.getAddress());
    }
  }

  /**
   * Reads a payload up to the buffer's limit; unknown attributes are skipped.
   *
   * @throws MalformedFrameException on a short header, an unknown family or an overrunning attribute
   */
  public static AddressMessage read(ByteBuffer in) {
    if (in.remaining() < HEADER) {
      throw new MalformedFrameException("ifaddrmsg needs 8 bytes, has " + in.remaining());
    }
    int af = in.get() & 0xff;
    AddressFamily family;
    try {
      family = AddressFamily.ofNumber(af);
    } catch (IllegalArgumentException e) {
      throw new MalformedFrameException("address family " + af + " is neither AF_INET nor AF_INET6");
    }
    int prefix = in.get() & 0xff;
    int headerFlags = in.get() & 0xff;
    int scope = in.get() & 0xff;
    int index = in.getInt();
    Parsed p = new Parsed();
    p.flags = headerFlags;
    RtAttributes.forEach(in, (type, value) -> {
      switch (type) {
        case IFA_ADDRESS -> p.address = inet(family, value);
        case IFA_LOCAL -> p.local = inet(family, value);
        case IFA_LABEL -> p.label = RtAttributes.string(value);
        case IFA_FLAGS -> {
          if (value.remaining() >= 4) {
            p.flags = value.getInt(value.position());
          }
        }
        default -> { }
      }
    });
    if (prefix > family.bits()) {
      throw new MalformedFrameException("prefix length " + prefix + " is too long for " + family);
    }
    return new AddressMessage(family, prefix, p.flags, scope, index, p.local, p.address, p.label);
  }

  private static final class Parsed {
    int flags;
    @Nullable InetAddress local;
    @Nullable InetAddress address;
    @Nullable String label;
  }

  private static InetAddress inet(AddressFamily family, ByteBuffer value) {
    int n = family == AddressFamily.INET ? 4 : 16;
    if (value.remaining() != n) {
      throw new MalformedFrameException(family + " address attribute has " + value.remaining() + " bytes");
    }
    byte[] b = RtAttributes.bytes(value);
    try {
      return n == 4 ? InetAddress.getByAddress(b) : java.net.Inet6Address.getByAddress(null, b, -1);
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4 or 16 byte address is always valid", e);
    }
  }
}
