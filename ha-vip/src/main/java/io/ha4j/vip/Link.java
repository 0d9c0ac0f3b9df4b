package io.ha4j.vip;

import io.ha4j.vip.codec.MacAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What a VIP owner knows of an interface: its index, hardware address and whether it can carry traffic. */
record Link(int index, @Nullable MacAddress mac, boolean usable) {

  /**
   * Whether {@code other} has this link's index and hardware address: bytes prepared for one are
   * right for the other (a re-created interface gets a new index, a replaced NIC a new address).
   */
  boolean sameHardware(Link other) {
    return other.index() == index && Objects.equals(other.mac(), mac);
  }
}
