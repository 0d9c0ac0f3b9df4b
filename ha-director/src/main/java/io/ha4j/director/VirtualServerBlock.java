package io.ha4j.director;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualService;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.api.reconcile.Quorum;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code virtual_server} block: its keywords with the handlers that fill in the service's
 * settings, and the end of the block, which builds the virtual service and then reads its real
 * servers (which take the service's forwarding method and check interval).
 */
final class VirtualServerBlock {

  /** Also the ignored keywords of {@code real_server}. */
  static final Set<String> IGNORED = Set.of("smtp_alert", "ha_suspend");
  private static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);

  private static final KeywordTable<VirtualServerBlock> KEYWORDS = new KeywordTable<VirtualServerBlock>()
      .keyword("delay_loop", (b, d) -> b.delayLoop = d.positiveSeconds())
      .keyword("lb_algo", VirtualServerBlock::scheduler)
      .keyword("lvs_sched", VirtualServerBlock::scheduler)
      .keyword("lb_kind", VirtualServerBlock::forwarding)
      .keyword("lvs_method", VirtualServerBlock::forwarding)
      .keyword("protocol", (b, d) -> b.protocol = switch (d.word().toUpperCase(Locale.ROOT)) {
        case "TCP" -> Protocol.TCP;
        case "UDP" -> Protocol.UDP;
        case "SCTP" -> Protocol.SCTP;
        default -> throw d.error(d.arg(0), "protocol must be TCP, UDP or SCTP");
      })
      .keyword("ip_family", (b, d) -> b.family = switch (d.word()) {
        case "inet" -> AddressFamily.INET;
        case "inet6" -> AddressFamily.INET6;
        default -> throw d.error(d.arg(0), "ip_family must be inet or inet6");
      })
      .keyword("persistence_timeout", (b, d) -> b.persistence = d.integer(1, Integer.MAX_VALUE))
      .keyword("persistence_granularity", (b, d) -> b.netmask = granularity(d))
      .keyword("quorum", (b, d) -> b.quorum = d.integer(0, Integer.MAX_VALUE))
      .keyword("hysteresis", (b, d) -> b.hysteresis = d.integer(0, Integer.MAX_VALUE))
      .keyword("sorry_server", (b, d) -> {
        d.exactly(2);
        b.sorry = RealServer.of(d.words().address(d.arg(0)), d.words().integer(d.arg(1), 0, 65535, "port"));
      })
      .keyword("inhibit_on_failure", (b, d) -> {
        d.none();
        b.failure = FailureMode.QUIESCE;
      })
      .keyword("virtualhost", (b, d) -> b.virtualhost = d.word())
      .keyword("quorum_up", (b, d) -> b.quorumUp = CommandLine.argv(d))
      .keyword("quorum_down", (b, d) -> b.quorumDown = CommandLine.argv(d))
      .keyword("alpha", (b, d) -> {
        d.none();
        b.alpha = true;
      })
      // keepalived runs quorum_down for the service it removes at stop; ha4j leaves the table at stop.
      .ignored(Set.of("omega"), " has no ha4j equivalent (the table is left as it is at stop, quorum_down is not run);"
          + " ignored")
      .repeatedBlock("real_server", (b, d) -> b.realServers.add(d)) // read at the end, with the service's settings
      .ignored(IGNORED, " has no ha4j equivalent; ignored");

  /** The one service of the block, or the members of its group. */
  private final List<VirtualServerGroupBlock.Member> members;
  private final boolean group;
  private Duration delayLoop = DEFAULT_DELAY_LOOP;
  private String scheduler = "wlc";
  private ForwardingMethod forwarding = ForwardingMethod.NAT;
  private Protocol protocol = Protocol.TCP;
  private AddressFamily family = AddressFamily.INET;
  private int persistence = 0;
  private int netmask = -1;
  private int quorum = Quorum.DEFAULT.quorum();
  private int hysteresis = Quorum.DEFAULT.hysteresis();
  private @Nullable RealServer sorry;
  private FailureMode failure = FailureMode.REMOVE;
  private boolean alpha = false;
  private @Nullable String virtualhost;
  private List<String> quorumUp = List.of();
  private List<String> quorumDown = List.of();
  private final List<Directive> realServers = new ArrayList<>();

  /** The service's address and port, {@code fwmark N} or {@code group NAME}: the two words after the keyword. */
  private VirtualServerBlock(Directive s, Map<String, List<VirtualServerGroupBlock.Member>> groups)
      throws ConfigException {
    ConfigToken first = s.arg(0);
    group = first.text().equals("group");
    if (group) {
      List<VirtualServerGroupBlock.Member> g = groups.get(s.arg(1).text());
      if (g == null) {
        throw s.error(s.arg(1), "no virtual_server_group " + s.arg(1).text());
      }
      members = g;
      return;
    }
    boolean fwmark = first.text().equals("fwmark");
    InetAddress address = fwmark ? null : s.words().address(first);
    int vsPort = 0;
    int m = 0;
    if (fwmark) {
      ConfigToken t = s.arg(1);
      try {
        m = Integer.parseUnsignedInt(t.text());
      } catch (NumberFormatException e) {
        throw s.error(t, "fwmark must be an integer in 1..4294967295");
      }
      if (m == 0) {
        throw s.error(t, "fwmark must be an integer in 1..4294967295");
      }
    } else {
      // keepalived.conf(5): virtual_server IP [PORT]; without a port (0) the service must be persistent.
      vsPort = s.statement().args().size() < 2 ? 0 : s.words().integer(s.arg(1), 0, 65535, "port");
    }
    members = List.of(new VirtualServerGroupBlock.Member(address, vsPort, m, null));
  }

  /** The virtual server {@code s}: one service, or one per member of its {@code group} (from {@code groups}). */
  static List<VirtualServerConfig> read(Directive s, Map<String, List<VirtualServerGroupBlock.Member>> groups)
      throws ConfigException {
    boolean address = !s.statement().args().isEmpty() && !s.arg(0).text().equals("fwmark")
        && !s.arg(0).text().equals("group");
    List<ConfigStatement> body = s.block(address && s.statement().args().size() == 1 ? 1 : 2);
    VirtualServerBlock b = new VirtualServerBlock(s, groups);
    KEYWORDS.read(body, b, s.name(), s.words());
    return b.end(s);
  }

  private void scheduler(Directive d) throws ConfigException {
    scheduler = d.word();
    if (!scheduler.matches("[a-z0-9_-]{1,15}")) {
      throw d.error(d.arg(0), "scheduler must be a kernel scheduler name such as rr, wlc, sh, mh");
    }
  }

  private void forwarding(Directive d) throws ConfigException {
    forwarding = switch (d.word().toUpperCase(Locale.ROOT)) {
      case "NAT" -> ForwardingMethod.NAT;
      case "DR" -> ForwardingMethod.DR;
      case "TUN" -> ForwardingMethod.TUN;
      default -> throw d.error(d.arg(0), "lb_kind must be NAT, DR or TUN");
    };
  }

  /** A netmask ({@code 255.255.255.0}) or a prefix length, as a prefix length. */
  private static int granularity(Directive d) throws ConfigException {
    ConfigToken t = d.value();
    d.exactly(1);
    String v = t.text();
    if (v.matches("\\d{1,3}")) {
      return d.words().integer(t, 0, 128, "persistence_granularity");
    }
    if (v.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      long bits = 0;
      for (String part : v.split("\\.")) {
        int octet = Integer.parseInt(part);
        if (octet > 255) {
          throw d.error(t, "persistence_granularity is not a netmask");
        }
        bits = (bits << 8) | octet;
      }
      int len = Long.bitCount(bits);
      long expected = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
      if (bits != expected) {
        throw d.error(t, "persistence_granularity is not a contiguous netmask");
      }
      return len;
    }
    throw d.error(t, "persistence_granularity must be a netmask (255.255.255.0) or a prefix length");
  }

  /**
   * The end of the block: the services, then the real servers in file order (read once: a group's
   * services share them and their checks), then a pool per service.
   */
  private List<VirtualServerConfig> end(Directive s) throws ConfigException {
    // A group's fwmarks take the family of its addresses, as keepalived's do, unless they name theirs.
    AddressFamily groupFamily = family;
    for (VirtualServerGroupBlock.Member m : members) {
      InetAddress a = m.address();
      if (a != null) {
        groupFamily = AddressFamily.of(a);
        break;
      }
    }
    List<VirtualService> services = new ArrayList<>();
    for (VirtualServerGroupBlock.Member m : members) {
      InetAddress a = m.address();
      AddressFamily f = a != null ? AddressFamily.of(a) : m.family() != null ? m.family() : groupFamily;
      ServiceKey key = a != null ? ServiceKey.of(protocol, a, m.port()) : ServiceKey.fwmark(m.mark(), f);
      if (netmask > f.bits()) {
        throw s.error("persistence_granularity /" + netmask + " does not fit " + f);
      }
      try {
        services.add(new VirtualService(key, scheduler, Set.of(), persistence, netmask < 0 ? f.bits() : netmask, null));
      } catch (IllegalArgumentException e) {
        throw s.error(String.valueOf(e.getMessage()));
      }
    }
    ServiceKey key = services.get(0).key();
    List<RealServer> pool = new ArrayList<>();
    List<RealServerCheck> checks = new ArrayList<>();
    RealServerBlock.Defaults defaults = new RealServerBlock.Defaults(forwarding, delayLoop, virtualhost);
    List<ConfigToken> inhibited = new ArrayList<>();
    for (Directive r : realServers) {
      ConfigToken inhibit = RealServerBlock.read(r, key, defaults, pool, checks);
      if (inhibit != null) {
        inhibited.add(inhibit);
      }
    }
    if (!inhibited.isEmpty() && failure == FailureMode.REMOVE) {
      // keepalived's inhibit_on_failure is per real server; ha4j quiesces or removes per virtual server.
      if (inhibited.size() < realServers.size()) {
        throw s.error(inhibited.get(0), "inhibit_on_failure on some real servers of " + key + " only: ha4j quiesces"
            + " (weight 0) or removes the failed servers of a virtual server alike; give it to every real_server or"
            + " to the virtual_server");
      }
      failure = FailureMode.QUIESCE;
    }
    RealServer given = sorry;
    @Nullable RealServer sorryServer = given != null ? given.withForwarding(forwarding) : null;
    List<VirtualServerConfig> all = new ArrayList<>();
    for (VirtualService service : services) {
      try {
        DesiredService desired = new DesiredService(service, pool, sorryServer, failure, new Quorum(quorum, hysteresis));
        all.add(new VirtualServerConfig(desired, checks, alpha,
            new VirtualServerConfig.QuorumCommands(quorumUp, quorumDown)));
      } catch (IllegalArgumentException e) {
        throw s.error((group ? service.key() + ": " : "") + e.getMessage());
      }
    }
    return all;
  }
}
