package io.ha4j.ipvs.ipvsadm;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceFlag;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.ipvs.IpvsTimeouts;
import io.ha4j.ipvs.SyncDaemon;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One ipvsadm command line, parsed: the same flags and defaults as ipvsadm 1.31 (scheduler
 * {@code wlc}, weight 1, direct routing, persistence 300 s, the real server's port defaulting to the
 * service's). Host names are not resolved: addresses must be literals, as with {@code -n}.
 */
public sealed interface IpvsadmCommand {

  record ListTable(@Nullable ServiceKey only, IpvsadmFormat.Columns columns, boolean exact) implements IpvsadmCommand {}

  record Save() implements IpvsadmCommand {}

  record Restore() implements IpvsadmCommand {}

  record ListTimeouts() implements IpvsadmCommand {}

  record ListDaemons() implements IpvsadmCommand {}

  record AddService(VirtualService service) implements IpvsadmCommand {}

  record EditService(VirtualService service) implements IpvsadmCommand {}

  record DeleteService(ServiceKey key) implements IpvsadmCommand {}

  record AddServer(ServiceKey key, RealServer server) implements IpvsadmCommand {}

  record EditServer(ServiceKey key, RealServer server) implements IpvsadmCommand {}

  record DeleteServer(ServiceKey key, RealServer.Endpoint endpoint) implements IpvsadmCommand {}

  record Flush() implements IpvsadmCommand {}

  record Zero(@Nullable ServiceKey key) implements IpvsadmCommand {}

  record SetTimeouts(IpvsTimeouts timeouts) implements IpvsadmCommand {}

  record StartDaemon(SyncDaemon daemon) implements IpvsadmCommand {}

  record StopDaemon(SyncDaemon.State state) implements IpvsadmCommand {}

  /** A command line and the namespace it targets. */
  record Parsed(@Nullable String netns, IpvsadmCommand command) {}

  /** Parses {@code args}; throws {@link IllegalArgumentException} with ipvsadm-like text on a bad line. */
  static Parsed parse(List<String> args) {
    return new Parser(args).parse();
  }

  /** Splits a saved line ({@code ipvsadm -S} output) into arguments. */
  static List<String> words(String line) {
    String t = line.trim();
    return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
  }

  /** The parser's state. */
  final class Parser {
    private final Deque<String> in;
    private @Nullable String netns;
    private @Nullable String command;
    private @Nullable String protocolSwitch;
    private @Nullable String serviceArg;
    private boolean ipv6Mark;
    private String scheduler = "wlc";
    private final Set<ServiceFlag> flags = EnumSet.noneOf(ServiceFlag.class);
    private int persistence;
    private @Nullable String netmask;
    private @Nullable String pe;
    private @Nullable String server;
    private ForwardingMethod forwarding = ForwardingMethod.DR;
    private int weight = 1;
    private int upper;
    private int lower;
    private TunnelType tunnelType = TunnelType.IPIP;
    private int tunnelPort;
    private int tunnelFlags;
    private IpvsadmFormat.Columns columns = IpvsadmFormat.Columns.DEFAULT;
    private boolean exact;
    private boolean timeoutsOption;
    private boolean daemonOption;
    private int[] timeouts = new int[0];
    private @Nullable String daemonState;
    private @Nullable String mcastInterface;
    private int syncId;
    private int syncMaxLen;
    private @Nullable String mcastGroup;
    private int mcastPort;
    private int mcastTtl;

    Parser(List<String> args) {
      this.in = new ArrayDeque<>();
      for (String a : args) {
        // popt lets ipvsadm users bundle short flags: -Ln, -Sn, -Lnc.
        if (a.matches("-[A-Za-z]{2,}")) {
          for (char c : a.substring(1).toCharArray()) {
            in.add("-" + c);
          }
        } else {
          in.add(a);
        }
      }
    }

    private String next(String option) {
      String v = in.poll();
      if (v == null) {
        throw new IllegalArgumentException("option " + option + " requires an argument");
      }
      return v;
    }

    private static int number(String option, String v, int min, int max) {
      try {
        long n = Long.parseLong(v);
        if (n < min || n > max) {
          throw new IllegalArgumentException("illegal " + option + " value " + v + " (" + min + ".." + max + ")");
        }
        return (int) n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("illegal " + option + " value " + v, e);
      }
    }

    private void command(String c) {
      if (command != null && !command.equals(c)) {
        throw new IllegalArgumentException("only one command per line: " + command + " and " + c);
      }
      command = c;
    }

    Parsed parse() {
      while (!in.isEmpty()) {
        String a = in.poll();
        switch (a) {
          case "list", "-L", "-l", "--list" -> command("-L");
          case "save", "-S", "--save" -> command("-S");
          case "restore", "-R", "--restore" -> command("-R");
          case "-A", "--add-service" -> command("-A");
          case "-E", "--edit-service" -> command("-E");
          case "-D", "--delete-service" -> command("-D");
          case "-a", "--add-server" -> command("-a");
          case "-e", "--edit-server" -> command("-e");
          case "-d", "--delete-server" -> command("-d");
          case "-C", "--clear" -> command("-C");
          case "-Z", "--zero" -> command("-Z");
          case "--set" -> {
            command("--set");
            timeouts = new int[] {number("tcp", next(a), 0, Integer.MAX_VALUE),
                number("tcpfin", next(a), 0, Integer.MAX_VALUE), number("udp", next(a), 0, Integer.MAX_VALUE)};
          }
          case "--start-daemon" -> {
            command("--start-daemon");
            daemonState = next(a);
          }
          case "--stop-daemon" -> {
            command("--stop-daemon");
            daemonState = next(a);
          }
          case "--netns" -> netns = next(a);
          case "-t", "--tcp-service", "-u", "--udp-service", "--sctp-service" -> {
            protocolSwitch = a;
            serviceArg = next(a);
          }
          case "-f", "--fwmark-service" -> {
            protocolSwitch = "-f";
            serviceArg = next(a);
          }
          case "-6", "--ipv6" -> ipv6Mark = true;
          case "-s", "--scheduler" -> scheduler = next(a);
          case "-p", "--persistent" -> {
            persistence = 300;
            String v = in.peek();
            if (v != null && !v.isEmpty() && Character.isDigit(v.charAt(0))) {
              persistence = number("persistent timeout", in.poll(), 1, Integer.MAX_VALUE);
            }
          }
          case "-M", "--netmask" -> netmask = next(a);
          case "-b", "--sched-flags" -> schedFlags(next(a));
          case "-o", "--ops" -> flags.add(ServiceFlag.ONE_PACKET);
          case "--pe" -> pe = next(a);
          case "-r", "--real-server" -> server = next(a);
          case "-g", "--gatewaying" -> forwarding = ForwardingMethod.DR;
          case "-i", "--ipip" -> forwarding = ForwardingMethod.TUN;
          case "-m", "--masquerading" -> forwarding = ForwardingMethod.NAT;
          case "-w", "--weight" -> weight = number("weight", next(a), 0, 65535);
          case "-x", "--u-threshold" -> upper = number("upper threshold", next(a), 0, Integer.MAX_VALUE);
          case "-y", "--l-threshold" -> lower = number("lower threshold", next(a), 0, Integer.MAX_VALUE);
          case "--tun-type" -> tunnelType = TunnelType.valueOf(next(a).toUpperCase(Locale.ROOT));
          case "--tun-port" -> tunnelPort = number("tunnel port", next(a), 0, 65535);
          case "--tun-nocsum" -> tunnelFlags = 0;
          case "--tun-csum" -> tunnelFlags = 1;
          case "--tun-remcsum" -> tunnelFlags = 2;
          case "-n", "--numeric" -> { }
          case "--stats" -> columns = IpvsadmFormat.Columns.STATS;
          case "--rate" -> columns = IpvsadmFormat.Columns.RATE;
          case "--thresholds" -> columns = IpvsadmFormat.Columns.THRESHOLDS;
          case "--persistent-conn" -> columns = IpvsadmFormat.Columns.PERSISTENT_CONN;
          case "--exact" -> exact = true;
          case "--timeout" -> timeoutsOption = true;
          case "--daemon" -> daemonOption = true;
          case "--mcast-interface" -> mcastInterface = next(a);
          case "--syncid" -> syncId = number("syncid", next(a), 0, 255);
          case "--sync-maxlen" -> syncMaxLen = number("sync maxlen", next(a), 1, 65535);
          case "--mcast-group" -> mcastGroup = next(a);
          case "--mcast-port" -> mcastPort = number("mcast port", next(a), 1, 65535);
          case "--mcast-ttl" -> mcastTtl = number("mcast ttl", next(a), 1, 255);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      return new Parsed(netns, build());
    }

    private void schedFlags(String list) {
      for (String f : list.split(",")) {
        switch (f) {
          case "sh-fallback", "mh-fallback", "flag-1" -> flags.add(ServiceFlag.SCHED1);
          case "sh-port", "mh-port", "flag-2" -> flags.add(ServiceFlag.SCHED2);
          case "flag-3" -> flags.add(ServiceFlag.SCHED3);
          default -> throw new IllegalArgumentException("invalid scheduler flag " + f);
        }
      }
    }

    private IpvsadmCommand build() {
      String c = command == null ? "-L" : command;
      return switch (c) {
        case "-L" -> timeoutsOption ? new ListTimeouts() : daemonOption ? new ListDaemons()
            : new ListTable(serviceArg == null ? null : key(), columns, exact);
        case "-S" -> new Save();
        case "-R" -> new Restore();
        case "-A" -> new AddService(service());
        case "-E" -> new EditService(service());
        case "-D" -> new DeleteService(key());
        case "-a" -> new AddServer(key(), realServer());
        case "-e" -> new EditServer(key(), realServer());
        case "-d" -> new DeleteServer(key(), realServer().endpoint());
        case "-C" -> new Flush();
        case "-Z" -> new Zero(serviceArg == null ? null : key());
        case "--set" -> new SetTimeouts(new IpvsTimeouts(timeouts[0], timeouts[1], timeouts[2]));
        case "--start-daemon" -> new StartDaemon(daemon());
        case "--stop-daemon" -> new StopDaemon(state());
        default -> throw new IllegalArgumentException("unknown command " + c);
      };
    }

    private SyncDaemon.State state() {
      String s = daemonState == null ? "" : daemonState;
      return switch (s) {
        case "master" -> SyncDaemon.State.MASTER;
        case "backup" -> SyncDaemon.State.BACKUP;
        default -> throw new IllegalArgumentException("daemon state must be master or backup, was " + s);
      };
    }

    private SyncDaemon daemon() {
      if (mcastInterface == null) {
        throw new IllegalArgumentException("--start-daemon needs --mcast-interface");
      }
      return new SyncDaemon(state(), mcastInterface, syncId, syncMaxLen,
          mcastGroup == null ? null : literal(mcastGroup), mcastPort, mcastTtl);
    }

    private ServiceKey key() {
      String p = protocolSwitch;
      String arg = serviceArg;
      if (p == null || arg == null) {
        throw new IllegalArgumentException("a service is needed: -t|-u|--sctp-service address:port or -f mark");
      }
      if (p.equals("-f")) {
        long mark;
        try {
          mark = Long.parseLong(arg);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("illegal fwmark " + arg, e);
        }
        // ipvsadm saves marks from 2^31 up as negative numbers ("%d") and reads them back
        if (mark == 0 || mark < Integer.MIN_VALUE || mark > 0xffffffffL) {
          throw new IllegalArgumentException("illegal fwmark " + arg);
        }
        return ServiceKey.fwmark((int) mark, ipv6Mark ? AddressFamily.INET6 : AddressFamily.INET);
      }
      Protocol protocol = switch (p) {
        case "-t", "--tcp-service" -> Protocol.TCP;
        case "-u", "--udp-service" -> Protocol.UDP;
        default -> Protocol.SCTP;
      };
      Endpoint e = endpoint(arg, 0);
      return ServiceKey.of(protocol, e.address, e.port);
    }

    private VirtualService service() {
      ServiceKey key = key();
      int bits = key.family().bits();
      int prefix = netmask == null ? bits : prefix(netmask, key.family());
      return new VirtualService(key, scheduler, flags, persistence, prefix, pe);
    }

    private RealServer realServer() {
      ServiceKey key = key();
      if (server == null) {
        throw new IllegalArgumentException("a real server is needed: -r address[:port]");
      }
      int defaultPort = key instanceof ServiceKey.Inet inet ? inet.port() : 0;
      Endpoint e = endpoint(server, defaultPort);
      return new RealServer(e.address, e.port, weight, forwarding, upper, lower, tunnelType, tunnelPort, tunnelFlags);
    }

    private record Endpoint(InetAddress address, int port) {}

    private static Endpoint endpoint(String s, int defaultPort) {
      String host;
      String port = null;
      if (s.startsWith("[")) {
        int close = s.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("illegal address " + s);
        }
        host = s.substring(1, close);
        if (close + 1 < s.length()) {
          if (s.charAt(close + 1) != ':') {
            throw new IllegalArgumentException("illegal address " + s);
          }
          port = s.substring(close + 2);
        }
      } else {
        int colon = s.lastIndexOf(':');
        if (colon >= 0 && s.indexOf(':') == colon) {
          host = s.substring(0, colon);
          port = s.substring(colon + 1);
        } else {
          host = s;
        }
      }
      return new Endpoint(literal(host), port == null ? defaultPort : number("port", port, 0, 65535));
    }

    private static InetAddress literal(String host) {
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
          throw new IllegalArgumentException("host names are not resolved, use an address: " + host);
        }
      }
      try {
        return InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("illegal address " + host, e);
      }
    }

    private static int prefix(String mask, AddressFamily family) {
      if (family == AddressFamily.INET6 || !mask.contains(".")) {
        return number("netmask", mask, 0, family.bits());
      }
      byte[] b = literal(mask).getAddress();
      int m = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
      int p = Integer.numberOfLeadingZeros(~m);
      if (p != 32 && (m << p) != 0) {
        throw new IllegalArgumentException("illegal netmask " + mask);
      }
      return p;
    }
  }
}
