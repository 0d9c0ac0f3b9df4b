package io.ha4j.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** IPv4 or IPv6, with the Linux {@code AF_*} numbers. */
public enum AddressFamily {
  INET(2, 32),
  INET6(10, 128);

  private final int number;
  private final int bits;

  AddressFamily(int number, int bits) {
    this.number = number;
    this.bits = bits;
  }

  /** The Linux {@code AF_INET}/{@code AF_INET6} value. */
  public int number() {
    return number;
  }

  /** Address length in bits: the longest prefix. */
  public int bits() {
    return bits;
  }

  /** The family of {@code address}. */
  public static AddressFamily of(InetAddress address) {
    if (address instanceof Inet4Address) {
      return INET;
    }
    if (address instanceof Inet6Address) {
      return INET6;
    }
    throw new IllegalArgumentException("not an IP address: " + address);
  }

  /** The family with the Linux number {@code af}. */
  public static AddressFamily ofNumber(int af) {
    for (AddressFamily f : values()) {
      if (f.number == af) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown address family " + af);
  }
}
