package io.ha4j.vip;

import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressException.Reason;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.vip.codec.LinkMessage;
import io.ha4j.vip.codec.Rtnetlink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The interfaces of the managed VIPs by name, looked up over RTM_GETLINK once and then kept current
 * by the {@link KernelWatcher}. Not thread-safe: its callers hold the owner's lock.
 */
final class Interfaces {

  private final NetlinkConnection route;
  private final Map<String, Link> links = new HashMap<>();

  Interfaces(NetlinkConnection route) {
    this.route = route;
  }

  /**
   * The interface {@code name}, looked up in the kernel if not known.
   *
   * @throws AddressException NO_SUCH_INTERFACE (ENODEV) if the kernel has no such interface
   */
  Link link(String name) {
    Link known = links.get(name);
    if (known != null) {
      return known;
    }
    List<NetlinkMessage> replies;
    try {
      replies = route.request(LinkMessage.byName(name).toMessage(Rtnetlink.RTM_GETLINK, 0));
    } catch (NetlinkException e) {
      throw RouteErrors.failure(e.errno(), e, "looking up interface " + name);
    }
    for (NetlinkMessage m : replies) {
      if (m.type() == Rtnetlink.RTM_NEWLINK) {
        LinkMessage l = LinkMessage.from(m);
        Link link = new Link(l.index(), l.hardwareAddress(), l.isUsable());
        links.put(name, link);
        return link;
      }
    }
    throw new AddressException(Reason.OTHER, 0, "no RTM_NEWLINK in the answer for interface " + name);
  }

  /** The index of interface {@code name}, or null if the kernel has no such interface. */
  @Nullable Integer index(String name) {
    try {
      return link(name).index();
    } catch (AddressException e) {
      if (e.reason() == Reason.NO_SUCH_INTERFACE) {
        return null;
      }
      throw e;
    }
  }

  /** What is known of {@code name} without asking the kernel, or null. */
  @Nullable Link known(String name) {
    return links.get(name);
  }

  /** The name under which interface {@code index} is known, or null. */
  @Nullable String nameOf(int index) {
    String name = null;
    for (Map.Entry<String, Link> e : links.entrySet()) {
      if (e.getValue().index() == index) {
        name = e.getKey();
      }
    }
    return name;
  }

  void put(String name, Link link) {
    links.put(name, link);
  }

  /** Forgets {@code name} (the next use looks it up again); returns whether it was known. */
  boolean forget(String name) {
    return links.remove(name) != null;
  }

  /** Forgets every interface, after notifications about them were lost. */
  void forgetAll() {
    links.clear();
  }
}
