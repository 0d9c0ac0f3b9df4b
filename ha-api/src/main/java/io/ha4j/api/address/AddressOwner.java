package io.ha4j.api.address;

import io.ha4j.api.VirtualAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Owns virtual addresses on this host: adds and removes them and announces a move to the
 * neighbours (gratuitous ARP, unsolicited neighbour advertisement). Implemented by {@code ha-vip}
 * for Linux.
 *
 * <p>Only addresses of the configured VIP set are ever touched; any other address fails with
 * {@link AddressException.Reason#NOT_MANAGED}.
 */
public interface AddressOwner extends AutoCloseable {

  /** Adds {@code address}; succeeds if it is already there. */
  void add(VirtualAddress address);

  /** Removes {@code address}; succeeds if it is not there. */
  void remove(VirtualAddress address);

  /** The managed addresses that are present on their interfaces now. */
  List<VirtualAddress> list();

  /**
   * Tells the neighbours that {@code address} is here now (a burst of gratuitous ARPs or
   * unsolicited neighbour advertisements). Used at takeover and to heal a split brain.
   */
  void announce(VirtualAddress address);

  /**
   * Makes the next take-over cheap, while this node is not master yet: resolves what
   * {@link #add} and {@link #announce} need (interfaces, hardware addresses) and encodes the
   * requests and frames they will send, without adding or announcing anything, so that a take-over
   * sends bytes it already has. Idempotent; call it again after the managed set changed. Failures
   * are not thrown: the take-over then does the work itself. The default does nothing.
   */
  default void prepare() {}

  /**
   * Registers {@code listener} for address and link changes on the managed interfaces. Listeners
   * are called on the owner's notification thread or scheduler, never concurrently.
   */
  default void watch(Consumer<AddressEvent> listener) {}

  /**
   * The watched interfaces (those of the managed addresses, and any other the owner was asked to
   * watch) that are down or missing now: a member reports them to its election before it starts,
   * so that a tracked interface that is down at start means FAULT. The default knows of none.
   */
  default List<String> interfacesDown() {
    return List.of();
  }

  /** Removes every managed address that is present and releases resources. */
  @Override
  void close();
}
