package io.ha4j.heartbeat.vrrp;

import io.ha4j.api.AddressFamily;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A VRRPv3 advertisement (RFC 5798 section 5.1).
 *
 * @param vrid virtual router id 1..255
 * @param priority 0..255; 0 means the master is leaving, 255 the address owner
 * @param maxAdvertIntervalCentis the advertisement interval in centiseconds, 1..4095 (12 bits)
 * @param addresses the virtual addresses, all of one family
 */
public record VrrpAdvertisement(int vrid, int priority, int maxAdvertIntervalCentis, List<InetAddress> addresses) {

  /** Version field of VRRPv3. */
  public static final int VERSION = 3;
  /** Type field of an advertisement, the only type. */
  public static final int TYPE_ADVERTISEMENT = 1;

  public VrrpAdvertisement {
    if (vrid < 1 || vrid > 255) {
      throw new IllegalArgumentException("vrid must be 1..255, was " + vrid);
    }
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("priority must be 0..255, was " + priority);
    }
    if (maxAdvertIntervalCentis < 1 || maxAdvertIntervalCentis > 0xfff) {
      throw new IllegalArgumentException(
          "maxAdvertIntervalCentis must be 1..4095, was " + maxAdvertIntervalCentis);
    }
    addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
    if (addresses.isEmpty() || addresses.size() > 255) {
      throw new IllegalArgumentException("addresses must hold 1..255 addresses, was " + addresses.size());
    }
    AddressFamily f = AddressFamily.of(addresses.get(0));
    for (InetAddress a : addresses) {
      if (AddressFamily.of(a) != f) {
        throw new IllegalArgumentException("addresses must all be " + f + ", got " + a.getHostAddress());
      }
    }
  }

  /** The family of the addresses, and so of the IP packet that carries the advertisement. */
  public AddressFamily family() {
    return AddressFamily.of(addresses.get(0));
  }

  /** Length of the VRRP message in bytes. */
  public int length() {
    return 8 + addresses.size() * (family() == AddressFamily.INET ? 4 : 16);
  }
}
