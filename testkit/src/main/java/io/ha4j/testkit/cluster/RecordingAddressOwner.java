package io.ha4j.testkit.cluster;

import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressOwner;
import io.ha4j.api.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The addresses of one simulated host: an in-memory {@link AddressOwner} that records every
 * addition and removal in the cluster's {@link History}. It stands in for ha-vip over a fake
 * address kernel; ownership is all the invariants need.
 */
final class RecordingAddressOwner implements AddressOwner {

  private final String node;
  private final Set<VirtualAddress> managed;
  private final History history;
  private final Clock timeline;
  private final Set<VirtualAddress> present = new LinkedHashSet<>();
  private final List<Consumer<AddressEvent>> watchers = new ArrayList<>();

  RecordingAddressOwner(String node, Set<VirtualAddress> managed, History history, Clock timeline) {
    this.node = node;
    this.managed = Set.copyOf(managed);
    this.history = history;
    this.timeline = timeline;
  }

  @Override
  public void add(VirtualAddress address) {
    check(address);
    if (present.add(address)) {
      history.record(new History.AddressAdded(timeline.nanoTime(), node, address));
    }
  }

  @Override
  public void remove(VirtualAddress address) {
    check(address);
    if (present.remove(address)) {
      history.record(new History.AddressRemoved(timeline.nanoTime(), node, address));
    }
  }

  @Override
  public List<VirtualAddress> list() {
    return List.copyOf(present);
  }

  @Override
  public void announce(VirtualAddress address) {
    check(address);
  }

  @Override
  public void watch(Consumer<AddressEvent> listener) {
    watchers.add(listener);
  }

  /** The link of {@code interfaceName} went down or came up: tells the watchers, as netlink would. */
  void link(String interfaceName, boolean up) {
    AddressEvent e = up ? new AddressEvent.LinkUp(interfaceName) : new AddressEvent.LinkDown(interfaceName);
    for (Consumer<AddressEvent> w : List.copyOf(watchers)) {
      w.accept(e);
    }
  }

  /** The host is gone: its addresses go with it, and nobody is told. */
  void crash() {
    watchers.clear();
    for (VirtualAddress a : List.copyOf(present)) {
      remove(a);
    }
  }

  @Override
  public void close() {
    for (VirtualAddress a : List.copyOf(present)) {
      remove(a);
    }
  }

  private void check(VirtualAddress address) {
    if (!managed.contains(address)) {
      throw new AddressException(AddressException.Reason.NOT_MANAGED, 0, address + " is not a managed address of " + node);
    }
  }
}
