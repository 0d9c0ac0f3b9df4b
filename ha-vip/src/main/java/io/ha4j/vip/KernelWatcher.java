package io.ha4j.vip;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.api.address.AddressException;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.vip.codec.AddressMessage;
import io.ha4j.vip.codec.LinkMessage;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.Rtnetlink;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Follows the kernel's rtnetlink notifications for the watched interfaces (those of the managed
 * VIPs and any other asked for) and the VIPs: reports a link that goes down or comes up (also one
 * deleted and re-created), reports an owned VIP that someone else removed and (if asked) puts it
 * back and announces it again, and compares what we own and the links' state with what is there
 * after notifications were lost. Notifications are decoded on the kernel's receive thread and acted on by scheduler
 * tasks, which take the owner's lock; listeners run on those tasks, outside the lock.
 */
final class KernelWatcher {

  // The operators' category for everything the owner logs.
  private final Logger log;

  private final Object lock;
  private final AddressTable table;
  private final Interfaces interfaces;
  private final Announcer announcer;
  private final Scheduler scheduler;
  private final boolean restoreRemoved;
  private final List<Consumer<AddressEvent>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong malformedNotifications = new AtomicLong();
  // Guarded by lock.
  private final LinkStates links;

  // Guarded by lock.
  private @Nullable Cancellable subscription;

  KernelWatcher(Object lock, AddressTable table, Interfaces interfaces, Announcer announcer, Scheduler scheduler,
      boolean restoreRemoved, Set<String> alsoWatched, Logger log) {
    this.log = log;
    this.links = new LinkStates(alsoWatched, log);
    this.lock = lock;
    this.table = table;
    this.interfaces = interfaces;
    this.announcer = announcer;
    this.scheduler = scheduler;
    this.restoreRemoved = restoreRemoved;
  }

  /** Subscribes to {@code kernel}'s notifications until {@link #stop()}. */
  void start(AddressKernel kernel) {
    Cancellable s = kernel.subscribe(this::onNotification, () -> scheduler.execute(this::resynchronise));
    synchronized (lock) {
      subscription = s;
    }
  }

  /** Cancels the subscription. Lock held. */
  void stop() {
    if (subscription != null) {
      subscription.cancel();
    }
  }

  void watch(Consumer<AddressEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  long malformedNotifications() {
    return malformedNotifications.get();
  }

  /** Runs on the kernel's receive thread: decode there, act on the scheduler. */
  private void onNotification(NetlinkMessage m) {
    try {
      switch (m.type()) {
        case Rtnetlink.RTM_DELADDR -> {
          AddressMessage a = AddressMessage.from(m);
          scheduler.execute(() -> addressRemoved(a));
        }
        case Rtnetlink.RTM_NEWLINK, Rtnetlink.RTM_DELLINK -> {
          LinkMessage l = LinkMessage.from(m);
          boolean deleted = m.type() == Rtnetlink.RTM_DELLINK;
          scheduler.execute(() -> linkChanged(l, deleted));
        }
        default -> { }
      }
    } catch (NetlinkException e) {
      malformedNotifications.incrementAndGet();
      log.debug("dropped a malformed notification: {}", e.getMessage());
    }
  }

  private void addressRemoved(AddressMessage a) {
    List<VirtualAddress> gone;
    synchronized (lock) {
      if (table.isClosed()) {
        return;
      }
      // Our own removals are not in it: the owner forgets a VIP before it removes it.
      gone = table.ownedMatching(a);
    }
    for (VirtualAddress v : gone) {
      log.info("{} was removed by someone else{}", v, restoreRemoved ? "; putting it back" : "");
      fire(new AddressEvent.AddressRemoved(v));
      if (restoreRemoved) {
        restore(v);
      }
    }
  }

  private void restore(VirtualAddress v) {
    try {
      synchronized (lock) {
        if (table.isClosed() || !table.owns(v)) {
          return;
        }
        table.addToKernel(v);
      }
      announcer.announce(v);
    } catch (AddressException e) {
      log.warn("could not put back {}: {}", v, e.getMessage());
    }
  }

  private void linkChanged(LinkMessage l, boolean deleted) {
    List<AddressEvent> changes = new ArrayList<>();
    synchronized (lock) {
      if (table.isClosed()) {
        return;
      }
      String known = interfaces.nameOf(l.index());
      String named = l.name();
      boolean usable = !deleted && l.isUsable();
      if (known != null) {
        Link old = interfaces.known(known);
        if (deleted || (named != null && !named.equals(known))) {
          interfaces.forget(known);
          changes.addAll(links.report(known, false));
        } else {
          MacAddress mac = l.hardwareAddress() != null ? l.hardwareAddress() : old != null ? old.mac() : null;
          interfaces.put(known, new Link(l.index(), mac, usable));
          changes.addAll(links.report(known, usable));
        }
      }
      if (named != null && !named.equals(known) && isWatched(named)) {
        // A new interface under a watched name: one re-created, or one that was missing at start.
        if (!deleted) {
          interfaces.put(named, new Link(l.index(), l.hardwareAddress(), usable));
        }
        changes.addAll(links.report(named, usable));
      }
    }
    changes.forEach(this::fire);
  }

  private boolean isWatched(String name) {
    return table.isManagedInterface(name) || links.watchesAlso(name);
  }

  /** The watched interfaces that are down or missing now; see {@link io.ha4j.api.address.AddressOwner#interfacesDown}. */
  List<String> interfacesDown() {
    synchronized (lock) {
      table.requireOpen();
      for (String name : watched()) {
        if (!links.reported(name)) {
          lookUp(name).ifPresent(up -> links.report(name, up));
        }
      }
      return links.down();
    }
  }

  private Set<String> watched() {
    Set<String> names = new LinkedHashSet<>();
    for (VirtualAddress v : table.managed()) {
      names.add(v.interfaceName());
    }
    names.addAll(links.alsoWatched());
    return names;
  }

  /** Whether interface {@code name} is usable now (missing: not), or empty if the kernel could not say. Lock held. */
  private Optional<Boolean> lookUp(String name) {
    try {
      return Optional.of(interfaces.link(name).usable());
    } catch (AddressException e) {
      if (e.reason() == AddressException.Reason.NO_SUCH_INTERFACE) {
        return Optional.of(false);
      }
      log.warn("could not look up interface {}: {}", name, e.getMessage());
      return Optional.empty();
    }
  }

  /** Notifications were lost: compare what we own with what is there, and the links with what we reported. */
  private void resynchronise() {
    List<VirtualAddress> missing;
    List<AddressEvent> changes = new ArrayList<>();
    synchronized (lock) {
      if (table.isClosed()) {
        return;
      }
      interfaces.forgetAll();
      for (String name : watched()) {
        lookUp(name).ifPresent(up -> changes.addAll(links.report(name, up)));
      }
      missing = table.missing();
    }
    changes.forEach(this::fire);
    for (VirtualAddress v : missing) {
      fire(new AddressEvent.AddressRemoved(v));
      if (restoreRemoved) {
        restore(v);
      }
    }
  }

  /** Hands {@code event} to the listeners on a scheduler task. */
  void fireLater(AddressEvent event) {
    scheduler.execute(() -> fire(event));
  }

  private void fire(AddressEvent event) {
    for (Consumer<AddressEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        log.warn("address listener failed on {}", event, e);
      }
    }
  }
}
