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
}
