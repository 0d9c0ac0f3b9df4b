package io.ha4j.vip;

import io.ha4j.api.address.AddressEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Whether each watched interface was last reported usable, so that a change is reported once: down
 * when it loses carrier, is set down or deleted; up when it is usable again, also under a new index
 * after a re-creation. An interface not reported yet counts as up. Not thread-safe: its callers
 * hold the owner's lock.
 */
final class LinkStates {

  private final Logger log;
  private final Set<String> alsoWatched;
  private final Map<String, Boolean> usable = new LinkedHashMap<>();

  LinkStates(Set<String> alsoWatched, Logger log) {
    this.alsoWatched = Set.copyOf(alsoWatched);
    this.log = log;
  }

  /** Whether {@code name} is watched though no managed VIP is on it (a tracked interface). */
  boolean watchesAlso(String name) {
    return alsoWatched.contains(name);
  }

  Set<String> alsoWatched() {
    return alsoWatched;
  }

  /** Whether a state of {@code name} was recorded. */
  boolean reported(String name) {
    return usable.containsKey(name);
  }

  /** Records the state of {@code name}; returns the event to fire if it changed. */
  List<AddressEvent> report(String name, boolean isUsable) {
    Boolean was = usable.put(name, isUsable);
    boolean wasUsable = was == null || was;
    if (wasUsable && !isUsable) {
      log.info("interface {} is down", name);
      return List.of(new AddressEvent.LinkDown(name));
    }
    if (!wasUsable && isUsable) {
      log.info("interface {} is up", name);
      return List.of(new AddressEvent.LinkUp(name));
    }
    return List.of();
  }

  /** The interfaces last recorded down, by name. */
  List<String> down() {
    // By name: the order states were learnt in depends on when the kernel's notifications came.
    return usable.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).sorted().toList();
  }
}
