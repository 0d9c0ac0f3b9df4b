package io.ha4j.vip;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressException.Reason;
import io.ha4j.linux.Errno;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.vip.codec.AddressMessage;
import io.ha4j.vip.codec.Rtnetlink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The managed VIPs in the kernel: which of them this owner holds, and the rtnetlink requests that
 * add, remove and list them (idempotently: EEXIST on add and EADDRNOTAVAIL on remove are success;
 * on ENODEV the interface is looked up again, once). The RTM_NEWADDR of a take-over is encoded
 * ahead by {@link #prepare}. Every add goes through {@link #addToKernel}, the one place for a
 * retry or a re-read after an ambiguous answer.
 *
 * <p>Not thread-safe: its callers hold the owner's lock.
 */
final class AddressTable {

  // The operators' category for everything the owner logs.
  private final Logger log;
  private static final int ADD_FLAGS = Netlink.F_EXCL | Netlink.F_CREATE;

  private final NetlinkConnection route;
  private final Interfaces interfaces;
  private final boolean noPrefixRoute;
  private final Set<VirtualAddress> managed;
  private final Set<VirtualAddress> owned = new LinkedHashSet<>();
  private final Map<VirtualAddress, PreparedRequest> prepared = new HashMap<>();
  private boolean closed;

  /** An RTM_NEWADDR encoded ahead for the link it was made for. */
  private record PreparedRequest(Link link, MessageBuilder request) {}

  AddressTable(NetlinkConnection route, Interfaces interfaces, boolean noPrefixRoute,
      Collection<VirtualAddress> managed, Logger log) {
    this.log = log;
    this.route = route;
    this.interfaces = interfaces;
    this.noPrefixRoute = noPrefixRoute;
    this.managed = new LinkedHashSet<>(managed);
  }

  Set<VirtualAddress> managed() {
    return Set.copyOf(managed);
  }

  void manage(VirtualAddress address) {
    managed.add(Objects.requireNonNull(address, "address"));
  }

  void requireManaged(VirtualAddress address) {
    if (!managed.contains(address)) {
      throw new AddressException(Reason.NOT_MANAGED, 0, address + " is not in the managed VIP set " + managed);
    }
  }

  boolean isManagedInterface(String name) {
    for (VirtualAddress v : managed) {
      if (v.interfaceName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  Set<VirtualAddress> owned() {
    return Set.copyOf(owned);
  }

  boolean owns(VirtualAddress address) {
    return owned.contains(address);
  }

  /** Records {@code address} as ours; returns whether it was not already. */
  boolean own(VirtualAddress address) {
    return owned.add(address);
  }

  /** Forgets that {@code address} is ours; returns whether it was. */
  boolean disown(VirtualAddress address) {
    return owned.remove(address);
  }

  /** The owned VIPs that {@code a} (an address of the kernel's) is, as far as we know their interfaces. */
  List<VirtualAddress> ownedMatching(AddressMessage a) {
    List<VirtualAddress> out = new ArrayList<>();
    for (VirtualAddress v : owned) {
      Link link = interfaces.known(v.interfaceName());
      if (link != null && link.index() == a.index() && v.address().equals(a.ownAddress())
          && v.prefixLength() == a.prefixLength()) {
        out.add(v);
      }
    }
    return out;
  }

  boolean isClosed() {
    return closed;
  }

  void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this VIP owner is closed");
    }
  }

  /** Takes no more changes and owns nothing from now on. */
  void close() {
    closed = true;
    owned.clear();
  }

  /**
   * Encodes the RTM_NEWADDR of every managed VIP, for {@link #addToKernel} to send while the
   * interface keeps its index and hardware address. A VIP whose interface cannot be looked up is
   * skipped: the take-over looks again.
   *
   * @return the interface of each VIP prepared, in the order of the managed set
   */
  Map<VirtualAddress, Link> prepare() {
    Map<VirtualAddress, Link> out = new LinkedHashMap<>();
    for (VirtualAddress v : managed) {
      Link link;
      try {
        link = interfaces.link(v.interfaceName());
      } catch (AddressException e) {
        log.debug("not preparing {}: {}", v, e.getMessage());
        continue;
      }
      prepared.put(v, new PreparedRequest(link, addRequest(v, link)));
      out.put(v, link);
    }
    return out;
  }

  /**
   * Adds {@code address} in the kernel (present already counts as success). After an ambiguous
   * answer (no reply in time, a lost reply) the kernel may hold the address or not: the dump says
   * which, and only if it cannot tell does the add fail.
   */
  void addToKernel(VirtualAddress address) {
    Link link = interfaces.link(address.interfaceName());
    PreparedRequest ready = prepared.get(address);
    MessageBuilder request = ready != null && ready.link().sameHardware(link) ? ready.request() : addRequest(address, link);
    int errno = exchangeOrReread(request, "adding ", address, true);
    if (Errno.ENODEV.is(errno) && interfaces.forget(address.interfaceName())) {
      // The interface was re-created under a new index since we looked it up: look again, once.
      prepared.remove(address);
      link = interfaces.link(address.interfaceName());
      errno = exchangeOrReread(addRequest(address, link), "adding ", address, true);
    }
    if (errno != 0 && !Errno.EEXIST.is(errno)) {
      throw RouteErrors.failure(errno, null, "adding " + address);
    }
  }

  /** Removes {@code address} from the kernel (absent, or its interface gone, counts as success). */
  void removeFromKernel(VirtualAddress address) {
    Link link;
    try {
      link = interfaces.link(address.interfaceName());
    } catch (AddressException e) {
      if (e.reason() == Reason.NO_SUCH_INTERFACE) {
        return; // the interface is gone, and its addresses with it
      }
      throw e;
    }
    AddressMessage body = AddressMessage.of(address.address(), address.prefixLength(), link.index(), 0, null);
    int errno = exchangeOrReread(body.toMessage(Rtnetlink.RTM_DELADDR, 0), "removing ", address, false);
    if (Errno.ENODEV.is(errno)) {
      interfaces.forget(address.interfaceName());
      return;
    }
    if (errno != 0 && !Errno.EADDRNOTAVAIL.is(errno)) {
      throw RouteErrors.failure(errno, null, "removing " + address);
    }
  }

  /**
   * {@link #exchange}, and after an answer that is not the kernel's (a timeout) a dump: 0 when the
   * kernel is as {@code wantPresent} asks, the failure otherwise (the caller retries).
   */
  private int exchangeOrReread(MessageBuilder request, String doing, VirtualAddress address, boolean wantPresent) {
    try {
      return exchange(request, doing, address);
    } catch (AddressException ambiguous) {
      boolean present;
      try {
        present = present().contains(address);
      } catch (AddressException e) {
        ambiguous.addSuppressed(e);
        throw ambiguous;
      }
      log.info("{}{}: no answer, and the kernel {} it", doing, address, present ? "has" : "does not have");
      if (present != wantPresent) {
        throw ambiguous;
      }
      return 0;
    }
  }

  private MessageBuilder addRequest(VirtualAddress address, Link link) {
    int flags = (address.family() == AddressFamily.INET6 ? AddressMessage.IFA_F_NODAD : 0)
        | (noPrefixRoute ? AddressMessage.IFA_F_NOPREFIXROUTE : 0);
    return AddressMessage.of(address.address(), address.prefixLength(), link.index(), flags, address.label())
        .toMessage(Rtnetlink.RTM_NEWADDR, ADD_FLAGS);
  }

  /**
   * Sends an acked request; returns 0 or the kernel's errno, throws on anything but a kernel answer.
   * The message is built only on failure: a take-over's first string concatenation at a new site
   * costs a bootstrap before the gratuitous ARP.
   */
  private int exchange(MessageBuilder request, String doing, VirtualAddress address) {
    try {
      route.request(request);
      return 0;
    } catch (NetlinkException e) {
      if (e.kind() == NetlinkException.Kind.KERNEL) {
        return e.errno();
      }
      throw RouteErrors.failure(e.errno(), e, doing + address);
    }
  }

  /** The managed VIPs present on their interfaces now, by an RTM_GETADDR dump per family. */
  List<VirtualAddress> present() {
    List<AddressMessage> kernelAddresses = new ArrayList<>();
    for (AddressFamily family : AddressFamily.values()) {
      List<NetlinkMessage> replies;
      try {
        replies = route.dump(AddressMessage.dump(family, 0).toMessage(Rtnetlink.RTM_GETADDR, 0));
      } catch (NetlinkException e) {
        throw RouteErrors.failure(e.errno(), e, "listing " + family + " addresses");
      }
      for (NetlinkMessage m : replies) {
        if (m.type() == Rtnetlink.RTM_NEWADDR) {
          kernelAddresses.add(AddressMessage.from(m));
        }
      }
    }
    List<VirtualAddress> out = new ArrayList<>();
    for (VirtualAddress v : managed) {
      @Nullable Integer index = interfaces.index(v.interfaceName());
      if (index == null) {
        continue;
      }
      for (AddressMessage a : kernelAddresses) {
        if (a.index() == index && v.address().equals(a.ownAddress()) && a.prefixLength() == v.prefixLength()) {
          out.add(v);
          break;
        }
      }
    }
    return out;
  }

  /** The owned VIPs that the kernel does not have (someone removed them, or their interface). */
  List<VirtualAddress> missing() {
    List<VirtualAddress> present = present();
    List<VirtualAddress> out = new ArrayList<>();
    for (VirtualAddress v : owned) {
      if (!present.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** Removes the present managed VIPs that we do not own: leftovers of a crashed earlier run. */
  List<VirtualAddress> releaseStale() {
    List<VirtualAddress> stale = new ArrayList<>();
    for (VirtualAddress v : present()) {
      if (!owned.contains(v)) {
        removeFromKernel(v);
        stale.add(v);
        log.info("removed stale {} left by an earlier run", v);
      }
    }
    return stale;
  }

  /** Removes every present managed VIP, owned or not, as far as the kernel lets us; logs what it could not. */
  void releasePresent() {
    try {
      for (VirtualAddress v : present()) {
        try {
          removeFromKernel(v);
          log.info("released {}", v);
        } catch (AddressException e) {
          log.warn("could not release {}: {}", v, e.getMessage());
        }
      }
    } catch (AddressException e) {
      log.warn("could not list addresses to release: {}", e.getMessage());
    }
  }
}
