package io.ha4j.testkit.cluster;

import io.ha4j.api.Clock;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.api.address.AddressOwner;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Records in the cluster's {@link History} every virtual address a member's owner (ha-vip's
 * {@code VipOwner} over the fake address kernel) adds or removes, as the member sees it succeed.
 */
final class RecordingAddressOwner implements AddressOwner {

  private final String node;
  private final AddressOwner delegate;
  private final History history;
  private final Clock timeline;
  private final Set<VirtualAddress> present = new LinkedHashSet<>();

  RecordingAddressOwner(String node, AddressOwner delegate, History history, Clock timeline) {
    this.node = node;
    this.delegate = delegate;
    this.history = history;
    this.timeline = timeline;
  }

  @Override
  public void add(VirtualAddress address) {
    delegate.add(address);
    if (present.add(address)) {
      history.record(new History.AddressAdded(timeline.nanoTime(), node, address));
    }
  }

  @Override
  public void remove(VirtualAddress address) {
    delegate.remove(address);
    forget(address);
  }

  @Override
  public List<VirtualAddress> list() {
    return delegate.list();
  }

  @Override
  public void announce(VirtualAddress address) {
    delegate.announce(address);
  }

  @Override
  public List<String> interfacesDown() {
    return delegate.interfacesDown();
  }

  @Override
  public void watch(Consumer<AddressEvent> listener) {
    delegate.watch(e -> {
      if (e instanceof AddressEvent.AddressRemoved r) {
        forget(r.address());
      }
      listener.accept(e);
    });
  }

  /** The host is gone: its addresses go with it, and nobody is told. */
  void crash() {
    for (VirtualAddress a : List.copyOf(present)) {
      forget(a);
    }
  }

  @Override
  public void close() {
    delegate.close();
    for (VirtualAddress a : List.copyOf(present)) {
      forget(a);
    }
  }

  private void forget(VirtualAddress address) {
    if (present.remove(address)) {
      history.record(new History.AddressRemoved(timeline.nanoTime(), node, address));
    }
  }
}
