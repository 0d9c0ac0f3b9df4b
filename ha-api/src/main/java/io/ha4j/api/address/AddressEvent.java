package io.ha4j.api.address;

import io.ha4j.api.VirtualAddress;
import java.util.Objects;

/** Something changed under an {@link AddressOwner}'s feet, noticed from kernel notifications. */
public sealed interface AddressEvent {

  /** A managed address was removed by someone else. */
  record AddressRemoved(VirtualAddress address) implements AddressEvent {
    public AddressRemoved {
      Objects.requireNonNull(address, "address");
    }
  }

  /** An interface lost carrier or was set down: a FAULT trigger for the election. */
  record LinkDown(String interfaceName) implements AddressEvent {
    public LinkDown {
      Objects.requireNonNull(interfaceName, "interfaceName");
    }
  }

  /** An interface is up and running again. */
  record LinkUp(String interfaceName) implements AddressEvent {
    public LinkUp {
      Objects.requireNonNull(interfaceName, "interfaceName");
    }
  }

  /**
   * Another host claims an address this owner holds: an ARP packet whose sender address, or an
   * IPv6 neighbour advertisement whose target, is the address, with a hardware address that is not
   * ours, heard on its interface. Two masters (a split brain: the election's traffic is blocked
   * while ARP flows) or a misconfigured host; the election should make sure its peers hear it.
   *
   * @param address the owned address claimed
   * @param hardwareAddress the other host's link-layer address, as {@code 02:00:00:00:00:02}
   */
  record AddressConflict(VirtualAddress address, String hardwareAddress) implements AddressEvent {
    public AddressConflict {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(hardwareAddress, "hardwareAddress");
    }
  }
}
