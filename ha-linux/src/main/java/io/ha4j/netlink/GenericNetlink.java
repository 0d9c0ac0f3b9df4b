package io.ha4j.netlink;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The generic netlink controller ({@code nlctrl}): resolves a family name such as {@code IPVS} to
 * the message type the kernel assigned it ({@code CTRL_CMD_GETFAMILY}), caching the answer.
 */
public final class GenericNetlink {

  /** Version of the controller's protocol we speak (as libnl and iproute2 do). */
  private static final int CTRL_VERSION = 1;

  /** A generic netlink family as the controller describes it. */
  public record Family(String name, int id, int version, int headerSize, int maxAttribute) {
    public Family {
      Objects.requireNonNull(name, "name");
    }
  }

  private final NetlinkConnection connection;
  private final ConcurrentHashMap<String, Family> cache = new ConcurrentHashMap<>();

  public GenericNetlink(NetlinkConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  /** The request {@code CTRL_CMD_GETFAMILY} for {@code name}. */
  public static MessageBuilder getFamilyRequest(String name) {
    return MessageBuilder.genl(Netlink.GENL_ID_CTRL, 0, Netlink.CTRL_CMD_GETFAMILY, CTRL_VERSION)
        .string(Netlink.CTRL_ATTR_FAMILY_NAME, name);
  }

  /**
   * The family called {@code name}.
   *
   * @throws NetlinkException of kind {@code KERNEL} with errno {@code ENOENT} if the kernel has no
   *     such family (e.g. its module is not loaded)
   */
  public Family family(String name) {
    Family f = cache.get(name);
    if (f != null) {
      return f;
    }
    List<NetlinkMessage> replies = connection.request(getFamilyRequest(name));
    for (NetlinkMessage m : replies) {
      if (m.type() == Netlink.GENL_ID_CTRL && m.genlCommand() == Netlink.CTRL_CMD_NEWFAMILY) {
        Family parsed = parseFamily(m);
        cache.put(name, parsed);
        return parsed;
      }
    }
    throw NetlinkException.protocol("controller acked GETFAMILY " + name + " without an answer");
  }

  /** The message type of family {@code name}. */
  public int familyId(String name) {
    return family(name).id();
  }

  /** Decodes a {@code CTRL_CMD_NEWFAMILY} message. */
  public static Family parseFamily(NetlinkMessage m) {
    Attributes a = m.attributes(Netlink.GENL_HEADER_LENGTH);
    return new Family(a.string(Netlink.CTRL_ATTR_FAMILY_NAME), a.u16(Netlink.CTRL_ATTR_FAMILY_ID),
        a.u32(Netlink.CTRL_ATTR_VERSION, 0), a.u32(Netlink.CTRL_ATTR_HDRSIZE, 0),
        a.u32(Netlink.CTRL_ATTR_MAXATTR, 0));
  }

  /** Forgets cached ids (a module reload assigns a new one). */
  public void forget() {
    cache.clear();
  }
}
