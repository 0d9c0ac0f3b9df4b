package io.ha4j.director;

import io.ha4j.api.AddressFamily;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code virtual_server_group NAME { ... }} block (keepalived.conf(5)): the virtual services that
 * a {@code virtual_server group NAME} block gives its settings and real servers to. Its lines are
 * {@code IP [PORT]}, an address range {@code IP [PORT]} with the range written {@code
 * 192.168.200.1-10} (the last part; hexadecimal for IPv6), {@code 192.168.200.250-192.168.201.10}
 * or {@code 192.168.202.8/29}, and {@code fwmark N [inet|inet6]}.
 */
final class VirtualServerGroupBlock {

  /** Services one group may expand to: each is an IPVS service with its own checks. */
  static final int MAX_MEMBERS = 4096;

  /**
   * One virtual service of a group.
   *
   * @param address the address, or null for a firewall mark
   * @param port the port (0 if not given)
   * @param mark the firewall mark, or 0 for an address
   * @param family the fwmark's {@code inet}/{@code inet6}, or null: the group's address family,
   *     else the virtual server's {@code ip_family}
   */
  record Member(@Nullable InetAddress address, int port, int mark, @Nullable AddressFamily family) {}

  private VirtualServerGroupBlock() {}

  /** The members of the group block {@code g}, in file order, ranges expanded. */
  static List<Member> read(Directive g) throws ConfigException {
    List<ConfigStatement> lines = g.block(1);
    ConfigWords words = g.words();
    List<Member> members = new ArrayList<>();
    for (ConfigStatement line : lines) {
      if (line.block() != null) {
        throw words.error(line.keyword(), "a virtual_server_group entry has no block");
      }
      List<ConfigToken> args = line.args();
      if (line.name().equals("fwmark")) {
        members.add(fwmark(line, words));
      } else {
        if (args.size() > 1) {
          throw words.error(args.get(1), "a virtual_server_group entry is 'IP [PORT]', 'RANGE [PORT]' or 'fwmark N'");
        }
        int port = args.isEmpty() ? 0 : words.integer(args.get(0), 0, 65535, "port");
        for (InetAddress a : range(line.keyword(), words, MAX_MEMBERS - members.size())) {
          members.add(new Member(a, port, 0, null));
        }
      }
    }
    if (members.isEmpty()) {
      throw g.error("virtual_server_group " + g.arg(0).text() + " is empty");
    }
    return members;
  }

  private static Member fwmark(ConfigStatement line, ConfigWords words) throws ConfigException {
    List<ConfigToken> args = line.args();
    if (args.isEmpty() || args.size() > 2) {
      throw words.error(line.keyword(), "fwmark in a virtual_server_group is 'fwmark N [inet|inet6]'");
    }
    ConfigToken t = args.get(0);
    int mark;
    try {
      mark = Integer.parseUnsignedInt(t.text());
    } catch (NumberFormatException e) {
      mark = 0;
    }
    if (mark == 0) {
      throw words.error(t, "fwmark must be an integer in 1..4294967295");
    }
    @Nullable AddressFamily family = null;
    if (args.size() == 2) {
      family = switch (args.get(1).text()) {
        case "inet" -> AddressFamily.INET;
        case "inet6" -> AddressFamily.INET6;
        default -> throw words.error(args.get(1), "the fwmark's family must be inet or inet6");
      };
    }
    return new Member(null, 0, mark, family);
  }

  /** The addresses of {@code t}: one address, {@code A-LAST}, {@code A-B} or {@code A/LEN}; at most {@code room}. */
  private static List<InetAddress> range(ConfigToken t, ConfigWords words, int room) throws ConfigException {
    String text = t.text();
    int dash = text.indexOf('-');
    int slash = text.indexOf('/');
    InetAddress first;
    InetAddress last;
    if (dash > 0) {
      first = words.address(t, text.substring(0, dash));
      String end = text.substring(dash + 1);
      last = end.contains(".") || end.contains(":") ? words.address(t, end) : lastPart(t, words, first, end);
    } else if (slash > 0) {
      InetAddress net = words.address(t, text.substring(0, slash));
      int bits = AddressFamily.of(net).bits();
      int len = words.integer(new ConfigToken(text.substring(slash + 1), t.line(), t.column(), t.quoted()), 0, bits,
          "prefix length");
      BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - len).subtract(BigInteger.ONE);
      BigInteger base = new BigInteger(1, net.getAddress()).andNot(hostMask);
      first = address(base, bits);
      last = address(base.or(hostMask), bits);
    } else {
      first = words.address(t);
      last = first;
    }
    if ((first instanceof Inet6Address) != (last instanceof Inet6Address)) {
      throw words.error(t, "the range's ends are of different families");
    }
    int bits = AddressFamily.of(first).bits();
    BigInteger from = new BigInteger(1, first.getAddress());
    BigInteger to = new BigInteger(1, last.getAddress());
    if (to.compareTo(from) < 0) {
      throw words.error(t, "the range ends before it starts");
    }
    if (to.subtract(from).compareTo(BigInteger.valueOf(room - 1L)) > 0) {
      throw words.error(t, "a virtual_server_group expands to at most " + MAX_MEMBERS + " virtual services");
    }
    List<InetAddress> all = new ArrayList<>();
    for (BigInteger a = from; a.compareTo(to) <= 0; a = a.add(BigInteger.ONE)) {
      all.add(address(a, bits));
    }
    return all;
  }

  /** {@code first} with its last part (octet, or 16-bit group for IPv6) set to {@code end}. */
  private static InetAddress lastPart(ConfigToken t, ConfigWords words, InetAddress first, String end)
      throws ConfigException {
    boolean v6 = first instanceof Inet6Address;
    int value;
    try {
      value = Integer.parseInt(end, v6 ? 16 : 10);
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 0 || value > (v6 ? 0xffff : 255) || !end.matches(v6 ? "[0-9a-fA-F]{1,4}" : "\\d{1,3}")) {
      throw words.error(t, "the range's end must be the last " + (v6 ? "group (hexadecimal)" : "octet") + " or an address");
    }
    byte[] b = first.getAddress();
    if (v6) {
      b[14] = (byte) (value >> 8);
      b[15] = (byte) value;
    } else {
      b[3] = (byte) value;
    }
    return address(new BigInteger(1, b), v6 ? 128 : 32);
  }

  private static InetAddress address(BigInteger value, int bits) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[bits / 8];
    int n = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - n, out, out.length - n, n);
    try {
      return InetAddress.getByAddress(out);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }
}
