package io.ha4j.ipvs.ipvsadm;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.ipvs.IpvsDestination;
import io.ha4j.ipvs.IpvsInfo;
import io.ha4j.ipvs.IpvsService;
import io.ha4j.ipvs.IpvsStats;
import io.ha4j.ipvs.IpvsTimeouts;
import io.ha4j.ipvs.SyncDaemon;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * ipvsadm 1.31's output, byte for byte as its {@code list_all}, {@code print_title},
 * {@code print_service_entry}, {@code print_largenum} and {@code list_daemon} print it with
 * {@code -n} (numeric addresses): {@code -Ln} (with {@code --stats}, {@code --rate},
 * {@code --thresholds}, {@code --persistent-conn}, {@code --exact}), {@code -Sn},
 * {@code -L --timeout} and {@code -L --daemon}. Services and real servers are sorted as libipvs
 * sorts them ({@code ipvs_cmp_services}, {@code ipvs_cmp_dests}). Pure: no I/O.
 */
public final class IpvsadmFormat {

  /** Which columns {@code -L} shows. */
  public enum Columns {
    DEFAULT, STATS, RATE, THRESHOLDS, PERSISTENT_CONN
  }

  /** A service with its real servers, as listed. */
  public record Entry(IpvsService service, List<IpvsDestination> destinations) {
    public Entry {
      Objects.requireNonNull(service, "service");
      destinations = List.copyOf(destinations);
    }
  }

  private IpvsadmFormat() {}

  /** {@code ipvsadm -Ln} and its column variants. */
  public static String list(IpvsInfo info, List<Entry> entries, Columns columns, boolean exact) {
    return render(info, entries, columns, exact);
  }

  /**
   * {@code ipvsadm -Ln}; without {@code info} no version line, as ipvsadm lists one service
   * ({@code -Ln -t address:port}).
   */
  public static String listWithoutVersion(List<Entry> entries, Columns columns, boolean exact) {
    return render(null, entries, columns, exact);
  }

  private static String render(@Nullable IpvsInfo info, List<Entry> entries, Columns columns, boolean exact) {
    StringBuilder out = new StringBuilder();
    if (info != null) {
      out.append("IP Virtual Server version ").append(info.versionString())
          .append(" (size=").append(info.connectionTableSize()).append(")\n");
    }
    out.append(title(columns));
    for (Entry e : sorted(entries)) {
      serviceEntry(out, e, columns, exact);
    }
    return out.toString();
  }

  /** {@code ipvsadm -Sn}: one {@code -A} line per service followed by its {@code -a} lines. */
  public static String save(List<Entry> entries) {
    StringBuilder out = new StringBuilder();
    for (Entry e : sorted(entries)) {
      VirtualService s = e.service().service();
      String svc = ruleServiceName(s.key());
      out.append("-A ").append(svc).append(" -s ").append(s.scheduler());
      if (s.persistent()) {
        out.append(" -p ").append(Integer.toUnsignedString(s.persistenceTimeoutSeconds()));
        appendMask(out, s, " -M ");
      }
      if (s.persistenceEngine() != null) {
        out.append(" --pe ").append(s.persistenceEngine());
      }
      if (s.flags().contains(ServiceFlag.ONE_PACKET)) {
        out.append(" -o");
      }
      String sched = schedFlags(s.scheduler(), e.service().kernelFlags());
      if (!sched.isEmpty()) {
        out.append(" -b ").append(sched);
      }
      out.append('\n');
      for (IpvsDestination d : sortedDests(e.destinations())) {
        RealServer r = d.realServer();
        // ipvsadm 1.31 saves no thresholds: "-a %s -r %s %s -w %d" plus the tunnel options.
        out.append("-a ").append(svc).append(" -r ").append(addressPort(r.address(), r.port()))
            .append(' ').append(forwardingSwitch(d)).append(" -w ").append(r.weight());
        if (!d.localNode() && r.forwarding() == ForwardingMethod.TUN) {
          out.append(" --tun-type ").append(r.tunnelType().name().toLowerCase(Locale.ROOT));
          if (r.tunnelType() == TunnelType.GUE) {
            out.append(" --tun-port ").append(r.tunnelPort());
          }
          if (r.tunnelType() != TunnelType.IPIP) {
            out.append(' ').append(checksumOption(r.tunnelFlags()));
          }
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** The tunnel checksum option for {@code IP_VS_TUNNEL_ENCAP_FLAG_*} bits. */
  static String checksumOption(int flags) {
    if ((flags & 2) != 0) {
      return "--tun-remcsum";
    }
    return (flags & 1) != 0 ? "--tun-csum" : "--tun-nocsum";
  }

  /** {@code ipvsadm -L --timeout}. */
  public static String timeouts(IpvsTimeouts t) {
    return "Timeout (tcp tcpfin udp): " + t.tcpSeconds() + " " + t.tcpFinSeconds() + " " + t.udpSeconds() + "\n";
  }

  /** {@code ipvsadm -L --daemon}. */
  public static String daemons(List<SyncDaemon> daemons) {
    StringBuilder out = new StringBuilder();
    for (SyncDaemon.State state : SyncDaemon.State.values()) {
      for (SyncDaemon d : daemons) {
        if (d.state() != state) {
          continue;
        }
        out.append(state.name().toLowerCase(Locale.ROOT)).append(" sync daemon (mcast=").append(d.interfaceName())
            .append(", syncid=").append(d.syncId());
        if (d.maxLength() != 0) {
          out.append(", maxlen=").append(d.maxLength());
        }
        InetAddress g = d.group();
        if (g != null) {
          out.append(", group=").append(numeric(g));
        }
        if (d.port() != 0) {
          out.append(", port=").append(d.port());
        }
        if (d.ttl() != 0) {
          out.append(", ttl=").append(d.ttl());
        }
        out.append(")\n");
      }
    }
    return out.toString();
  }

  static String title(Columns columns) {
    return switch (columns) {
      case STATS -> "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
          + "  -> RemoteAddress:Port\n";
      case RATE -> "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
          + "  -> RemoteAddress:Port\n";
      case THRESHOLDS -> String.format("%-33s %-10s %-10s %-10s %-10s\n", "Prot LocalAddress:Port", "Uthreshold",
          "Lthreshold", "ActiveConn", "InActConn") + "  -> RemoteAddress:Port\n";
      case PERSISTENT_CONN -> String.format("%-33s %-9s %-11s %-10s %-10s\n", "Prot LocalAddress:Port", "Weight",
          "PersistConn", "ActiveConn", "InActConn") + "  -> RemoteAddress:Port\n";
      case DEFAULT -> "Prot LocalAddress:Port Scheduler Flags\n"
          + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
    };
  }

  private static void serviceEntry(StringBuilder out, Entry e, Columns columns, boolean exact) {
    VirtualService s = e.service().service();
    IpvsStats st = e.service().stats();
    String name = listServiceName(s.key());
    switch (columns) {
      case STATS -> {
        out.append(String.format("%-33s", name));
        largenum(out, st.connections(), exact);
        largenum(out, st.inPackets(), exact);
        largenum(out, st.outPackets(), exact);
        largenum(out, st.inBytes(), exact);
        largenum(out, st.outBytes(), exact);
      }
      case RATE -> {
        out.append(String.format("%-33s", name));
        largenum(out, st.connectionsPerSecond(), exact);
        largenum(out, st.inPacketsPerSecond(), exact);
        largenum(out, st.outPacketsPerSecond(), exact);
        largenum(out, st.inBytesPerSecond(), exact);
        largenum(out, st.outBytesPerSecond(), exact);
      }
      default -> {
        out.append(name).append(' ').append(s.scheduler());
        String sched = schedFlags(s.scheduler(), e.service().kernelFlags());
        if (!sched.isEmpty()) {
          out.append(" (").append(sched).append(')');
        }
        if (s.persistent()) {
          out.append(" persistent ").append(Integer.toUnsignedString(s.persistenceTimeoutSeconds()));
          appendMask(out, s, " mask ");
          if (s.persistenceEngine() != null) {
            out.append(" pe ").append(s.persistenceEngine());
          }
        }
        if (s.flags().contains(ServiceFlag.ONE_PACKET)) {
          out.append(" ops");
        }
      }
    }
    out.append('\n');
    for (IpvsDestination d : sortedDests(e.destinations())) {
      RealServer r = d.realServer();
      String dname = addressPort(r.address(), r.port());
      if (!(r.address() instanceof java.net.Inet6Address) && dname.length() > 28) {
        dname = dname.substring(0, 28);
      }
      IpvsStats ds = d.stats();
      switch (columns) {
        case STATS -> {
          out.append(String.format("  -> %-28s", dname));
          largenum(out, ds.connections(), exact);
          largenum(out, ds.inPackets(), exact);
          largenum(out, ds.outPackets(), exact);
          largenum(out, ds.inBytes(), exact);
          largenum(out, ds.outBytes(), exact);
          out.append('\n');
        }
        case RATE -> {
          out.append(String.format("  -> %-28s %8s %8s %8s", dname, Long.toUnsignedString(ds.connectionsPerSecond()),
              Long.toUnsignedString(ds.inPacketsPerSecond()), Long.toUnsignedString(ds.outPacketsPerSecond())));
          largenum(out, ds.inBytesPerSecond(), exact);
          largenum(out, ds.outBytesPerSecond(), exact);
          out.append('\n');
        }
        case THRESHOLDS -> out.append(String.format("  -> %-28s %-10s %-10s %-10s %-10s\n", dname,
            Integer.toUnsignedString(r.upperThreshold()), Integer.toUnsignedString(r.lowerThreshold()),
            Integer.toUnsignedString(d.activeConnections()), Integer.toUnsignedString(d.inactiveConnections())));
        case PERSISTENT_CONN -> out.append(String.format("  -> %-28s %-9d %-11s %-10s %-10s\n", dname, r.weight(),
            Integer.toUnsignedString(d.persistentConnections()), Integer.toUnsignedString(d.activeConnections()),
            Integer.toUnsignedString(d.inactiveConnections())));
        case DEFAULT -> out.append(String.format("  -> %-28s %-7s %-6d %-10s %-10s\n", dname, forwardingName(d),
            r.weight(), Integer.toUnsignedString(d.activeConnections()),
            Integer.toUnsignedString(d.inactiveConnections())));
      }
    }
  }

  /** print_largenum: 9 columns, with K/M/G/T above 10^8 unless {@code --exact}. */
  static void largenum(StringBuilder out, long v, boolean exact) {
    String digits = Long.toUnsignedString(v);
    if (exact) {
      out.append(String.format("%9s", digits));
      if (digits.length() >= 9) {
        // printf(" %*llu", len + 1) keeps one space before a long number.
        out.setLength(out.length() - digits.length());
        out.append(' ').append(digits);
      }
      return;
    }
    if (Long.compareUnsigned(v, 100_000_000L) < 0) {
      out.append(String.format("%9s", digits));
    } else if (Long.compareUnsigned(v, 1_000_000_000L) < 0) {
      out.append(String.format("%8sK", Long.toUnsignedString(Long.divideUnsigned(v, 1_000L))));
    } else if (Long.compareUnsigned(v, 100_000_000_000L) < 0) {
      out.append(String.format("%8sM", Long.toUnsignedString(Long.divideUnsigned(v, 1_000_000L))));
    } else if (Long.compareUnsigned(v, 100_000_000_000_000L) < 0) {
      out.append(String.format("%8sG", Long.toUnsignedString(Long.divideUnsigned(v, 1_000_000_000L))));
    } else {
      out.append(String.format("%8sT", Long.toUnsignedString(Long.divideUnsigned(v, 1_000_000_000_000L))));
    }
  }

  private static void appendMask(StringBuilder out, VirtualService s, String keyword) {
    if (s.key().family() == AddressFamily.INET) {
      if (s.persistenceNetmask() != 32) {
        int mask = s.persistenceNetmask() == 0 ? 0 : -1 << (32 - s.persistenceNetmask());
        out.append(keyword).append(mask >>> 24).append('.').append((mask >>> 16) & 0xff).append('.')
            .append((mask >>> 8) & 0xff).append('.').append(mask & 0xff);
      }
    } else if (s.persistenceNetmask() != 128) {
      out.append(keyword).append(s.persistenceNetmask());
    }
  }

  /** print_sched_flags. */
  static String schedFlags(String scheduler, int flags) {
    List<String> names = new ArrayList<>();
    boolean sh = scheduler.equals("sh");
    boolean mh = scheduler.equals("mh");
    if ((flags & ServiceFlag.SCHED1.bit()) != 0) {
      names.add(sh ? "sh-fallback" : mh ? "mh-fallback" : "flag-1");
    }
    if ((flags & ServiceFlag.SCHED2.bit()) != 0) {
      names.add(sh ? "sh-port" : mh ? "mh-port" : "flag-2");
    }
    if ((flags & ServiceFlag.SCHED3.bit()) != 0) {
      names.add("flag-3");
    }
    return String.join(",", names);
  }

  static String forwardingName(IpvsDestination d) {
    if (d.localNode()) {
      return "Local";
    }
    return switch (d.realServer().forwarding()) {
      case NAT -> "Masq";
      case TUN -> "Tunnel";
      case DR -> "Route";
    };
  }

  static String forwardingSwitch(IpvsDestination d) {
    return switch (d.realServer().forwarding()) {
      case NAT -> "-m";
      case TUN -> "-i";
      case DR -> "-g";
    };
  }

  static String listServiceName(ServiceKey key) {
    if (key instanceof ServiceKey.FirewallMark fw) {
      // ipvsadm prints the mark with "%d": marks from 2^31 up read as negative numbers
      return "FWM  " + fw.mark() + (fw.family() == AddressFamily.INET6 ? " IPv6" : "");
    }
    ServiceKey.Inet inet = (ServiceKey.Inet) key;
    String name = String.format("%-4s %s", inet.protocol().name(), addressPort(inet.address(), inet.port()));
    if (inet.family() != AddressFamily.INET6 && name.length() > 33) {
      name = name.substring(0, 33);
    }
    return name;
  }

  static String ruleServiceName(ServiceKey key) {
    if (key instanceof ServiceKey.FirewallMark fw) {
      return "-f " + fw.mark() + (fw.family() == AddressFamily.INET6 ? " -6" : "");
    }
    ServiceKey.Inet inet = (ServiceKey.Inet) key;
    String sw = switch (inet.protocol()) {
      case TCP -> "-t";
      case UDP -> "-u";
      case SCTP -> "--sctp-service";
    };
    return sw + " " + addressPort(inet.address(), inet.port());
  }

  static String addressPort(InetAddress a, int port) {
    return a instanceof Inet4Address ? numeric(a) + ":" + port : "[" + numeric(a) + "]:" + port;
  }

  /** The address as glibc's inet_ntop writes it (RFC 5952 compression for IPv6). */
  public static String numeric(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) {
      w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestBase = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (w[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && w[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestBase = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestBase = -1;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
        if (i == bestBase) {
          sb.append(':');
        }
        continue;
      }
      if (i != 0) {
        sb.append(':');
      }
      // inet_ntop6: an IPv4-compatible or -mapped address ends in dotted quad.
      if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
        sb.append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.').append(b[14] & 0xff).append('.')
            .append(b[15] & 0xff);
        return sb.toString();
      }
      sb.append(Integer.toHexString(w[i]));
    }
    if (bestBase >= 0 && bestBase + bestLen == 8) {
      sb.append(':');
    }
    return sb.toString();
  }

  // ---- libipvs ordering ---------------------------------------------------------------------

  private static List<Entry> sorted(List<Entry> entries) {
    List<Entry> l = new ArrayList<>(entries);
    l.sort((x, y) -> compareServices(x.service().service().key(), y.service().service().key()));
    return l;
  }

  private static List<IpvsDestination> sortedDests(List<IpvsDestination> dests) {
    List<IpvsDestination> l = new ArrayList<>(dests);
    l.sort(Comparator.comparing((IpvsDestination d) -> d, (x, y) -> compareDests(x.realServer(), y.realServer())));
    return l;
  }

  /** ipvs_cmp_services: fwmark, family, protocol, address words, port, as C int differences. */
  static int compareServices(ServiceKey a, ServiceKey b) {
    int fa = a instanceof ServiceKey.FirewallMark f ? f.mark() : 0;
    int fb = b instanceof ServiceKey.FirewallMark f ? f.mark() : 0;
    int r = fa - fb;
    if (r != 0) {
      return r;
    }
    r = a.family().number() - b.family().number();
    if (r != 0 || !(a instanceof ServiceKey.Inet ia) || !(b instanceof ServiceKey.Inet ib)) {
      return r;
    }
    r = ia.protocol().number() - ib.protocol().number();
    if (r != 0) {
      return r;
    }
    r = compareAddressWords(ia.address(), ib.address());
    if (r != 0) {
      return r;
    }
    return ia.port() - ib.port();
  }

  /** ipvs_cmp_dests: address words then port. */
  static int compareDests(RealServer a, RealServer b) {
    int r = compareAddressWords(a.address(), b.address());
    return r != 0 ? r : a.port() - b.port();
  }

  private static int compareAddressWords(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    int words = Math.min(x.length, y.length) / 4;
    int r = 0;
    for (int i = 0; r == 0 && i < words; i++) {
      r = word(x, i) - word(y, i); // unsigned difference read as int, as in C
    }
    return r;
  }

  private static int word(byte[] b, int i) {
    return ((b[4 * i] & 0xff) << 24) | ((b[4 * i + 1] & 0xff) << 16) | ((b[4 * i + 2] & 0xff) << 8) | (b[4 * i + 3] & 0xff);
  }
}
