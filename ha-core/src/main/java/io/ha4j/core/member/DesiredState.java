package io.ha4j.core.member;

import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.reconcile.DesiredService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link Member} is to hold: the virtual addresses its master owns and the virtual services
 * it programs, with their edits at runtime. It only records them; the member applies each edit
 * (takes or releases an address, runs a reconcile pass). Owned by the member's scheduler thread.
 */
final class DesiredState {

  private final Set<VirtualAddress> virtualAddresses;
  private final Set<VirtualAddress> addressView;
  private final Map<ServiceKey, DesiredService> services = new LinkedHashMap<>();

  /** The state configured at build time; a service configured twice is an error. */
  DesiredState(Set<VirtualAddress> virtualAddresses, List<DesiredService> services) {
    this.virtualAddresses = new LinkedHashSet<>(virtualAddresses);
    this.addressView = Collections.unmodifiableSet(this.virtualAddresses);
    for (DesiredService d : services) {
      if (this.services.put(d.service().key(), d) != null) {
        throw new IllegalArgumentException("service " + d.service().key() + " is configured twice");
      }
    }
  }

  /** The virtual addresses, in the order they were added: a read-only view that follows the edits. */
  Set<VirtualAddress> virtualAddresses() {
    return addressView;
  }

  /** Whether {@code address} is one of the virtual addresses. */
  boolean hasVirtualAddress(VirtualAddress address) {
    return virtualAddresses.contains(address);
  }

  /** Adds {@code address}; false if it was there already. */
  boolean addVirtualAddress(VirtualAddress address) {
    return virtualAddresses.add(address);
  }

  /** Removes {@code address}; false if it was not there. */
  boolean removeVirtualAddress(VirtualAddress address) {
    return virtualAddresses.remove(address);
  }

  /** The desired services now, in the order they were first put. */
  List<DesiredService> services() {
    return List.copyOf(services.values());
  }

  /** Adds or replaces a virtual service with its real servers. */
  void putService(DesiredService service) {
    services.put(service.service().key(), service);
  }

  /** Forgets a virtual service. */
  void removeService(ServiceKey key) {
    services.remove(key);
  }

  /**
   * Adds {@code server} to the service of {@code key}, or replaces the one with its endpoint in
   * place.
   *
   * @throws IllegalArgumentException if no service has {@code key}
   */
  void putRealServer(ServiceKey key, RealServer server) {
    DesiredService d = requireService(key);
    List<RealServer> list = new ArrayList<>();
    boolean replaced = false;
    for (RealServer rs : d.realServers()) {
      if (rs.endpoint().equals(server.endpoint())) {
        list.add(server);
        replaced = true;
      } else {
        list.add(rs);
      }
    }
    if (!replaced) {
      list.add(server);
    }
    services.put(key, withRealServers(d, list));
  }

  /**
   * Removes the real server at {@code endpoint} from the service of {@code key}.
   *
   * @throws IllegalArgumentException if no service has {@code key}
   */
  void removeRealServer(ServiceKey key, RealServer.Endpoint endpoint) {
    DesiredService d = requireService(key);
    List<RealServer> list = new ArrayList<>(d.realServers());
    list.removeIf(rs -> rs.endpoint().equals(endpoint));
    services.put(key, withRealServers(d, list));
  }

  private static DesiredService withRealServers(DesiredService d, List<RealServer> servers) {
    return new DesiredService(d.service(), servers, d.sorryServer(), d.failureMode(), d.quorum());
  }

  private DesiredService requireService(ServiceKey key) {
    DesiredService d = services.get(Objects.requireNonNull(key, "key"));
    if (d == null) {
      throw new IllegalArgumentException("no managed service " + key);
    }
    return d;
  }
}
