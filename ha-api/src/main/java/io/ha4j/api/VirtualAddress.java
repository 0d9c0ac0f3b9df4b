package io.ha4j.api;

import java.net.InetAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A virtual IP (VIP): an address that belongs to whichever member is master.
 *
 * @param address IPv4 or IPv6 address
 * @param prefixLength 0..32 or 0..128
 * @param interfaceName the interface it is added to (1..15 characters, Linux {@code IFNAMSIZ})
 * @param label an IPv4 address label such as {@code eth0:vip}; must start with the interface name;
 *     null for none
 */
public record VirtualAddress(
    InetAddress address, int prefixLength, String interfaceName, @Nullable String label) {

  /** Longest interface name or label ({@code IFNAMSIZ - 1}). */
  public static final int MAX_NAME_LENGTH = 15;

  public VirtualAddress {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(interfaceName, "interfaceName");
    int max = AddressFamily.of(address).bits();
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException(
          "prefixLength must be 0.." + max + " for " + address.getHostAddress() + ", was " + prefixLength);
    }
    if (interfaceName.isEmpty() || interfaceName.length() > MAX_NAME_LENGTH
        || interfaceName.contains("/") || interfaceName.contains(" ")) {
      throw new IllegalArgumentException("interfaceName is not a Linux interface name: '" + interfaceName + "'");
    }
    if (label != null) {
      if (AddressFamily.of(address) != AddressFamily.INET) {
        throw new IllegalArgumentException("label is only for IPv4 addresses, not " + address.getHostAddress());
      }
      if (label.length() > MAX_NAME_LENGTH || !label.startsWith(interfaceName)) {
        throw new IllegalArgumentException(
            "label must be at most " + MAX_NAME_LENGTH + " characters and start with the interface name '"
                + interfaceName + "', was '" + label + "'");
      }
    }
  }

  /** A VIP without a label. */
  public static VirtualAddress of(InetAddress address, int prefixLength, String interfaceName) {
    return new VirtualAddress(address, prefixLength, interfaceName, null);
  }

  /** The address family. */
  public AddressFamily family() {
    return AddressFamily.of(address);
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + prefixLength + " dev " + interfaceName
        + (label != null ? " label " + label : "");
  }
}
