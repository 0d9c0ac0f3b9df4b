package io.ha4j.director;

import io.ha4j.api.election.Tracked;
import io.ha4j.api.AddressFamily;
import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.VirtualService;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.core.health.HttpCheck;
import io.ha4j.core.health.TcpCheck;
import io.ha4j.api.reconcile.DesiredService;
import io.ha4j.api.reconcile.FailureMode;
import io.ha4j.api.reconcile.Quorum;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.HeartbeatKey;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a director configuration: a subset of keepalived.conf, described in the package
 * documentation. Every problem is a {@link ConfigException} naming the file, line, column and
 * token; keywords of the documented harmless list are ignored with a warning in {@link
 * DirectorConfig#warnings()}.
 */
public final class DirectorConfigParser {

  /** keepalived's daemon tunables: nothing in ha4j depends on them. */
  static final Set<String> IGNORED_GLOBAL = Set.of(
      "notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout",
      "enable_script_security", "script_user", "vrrp_skip_check_adv_addr", "vrrp_strict",
      "vrrp_garp_interval", "vrrp_gna_interval", "max_auto_priority", "vrrp_version", "lvs_id");
  static final Set<String> IGNORED_INSTANCE = Set.of(
      "smtp_alert", "garp_master_delay", "garp_master_repeat", "garp_lower_prio_delay",
      "garp_lower_prio_repeat");
  static final Set<String> IGNORED_SERVICE = Set.of("smtp_alert", "ha_suspend", "omega");
  static final Set<String> IGNORED_CHECKER = Set.of("warmup");

  private static final Pattern ADDRESS = Pattern.compile("[0-9a-fA-F:.]+");
  private static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);
  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final String file;
  private final List<String> warnings = new ArrayList<>();

  private DirectorConfigParser(String file) {
    this.file = file;
  }

  /** Reads the file at {@code path}; errors name it as given. */
  public static DirectorConfig parse(Path path) throws IOException, ConfigException {
    return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
  }

  /** Reads {@code text}; errors name it {@code fileName}. */
  public static DirectorConfig parse(String fileName, String text) throws ConfigException {
    DirectorConfigParser p = new DirectorConfigParser(fileName);
    return p.config(ConfigReader.read(fileName, text));
  }

  private DirectorConfig config(List<ConfigStatement> top) throws ConfigException {
    @Nullable String routerId = null;
    @Nullable ConfigStatement instance = null;
    List<ConfigStatement> services = new ArrayList<>();
    for (ConfigStatement s : top) {
      switch (s.name()) {
        case "global_defs" -> {
          Map<String, ConfigToken> seen = new HashMap<>();
          for (ConfigStatement c : block(s, 0)) {
            once(seen, c, IGNORED_GLOBAL);
            if (c.name().equals("router_id")) {
              routerId = word(c);
            } else if (IGNORED_GLOBAL.contains(c.name())) {
              warn(c.keyword(), c.name() + " is a keepalived daemon setting; ignored");
            } else {
              throw unknown(c, "global_defs");
            }
          }
        }
        case "vrrp_instance" -> {
          if (instance != null) {
            throw error(s.keyword(), "only one vrrp_instance per director (the first is at line "
                + instance.keyword().line() + ")");
          }
          block(s, 1);
          instance = s;
        }
        case "virtual_server" -> services.add(s);
        case "vrrp_script", "vrrp_sync_group", "virtual_server_group", "include", "static_ipaddress",
            "static_routes", "static_rules", "vrrp_track_process", "bfd_instance", "linkbeat_interfaces" ->
            throw error(s.keyword(), s.name() + " is not supported by the ha4j director");
        default -> throw unknown(s, "the top level");
      }
    }
    if (instance == null) {
      throw new ConfigException(file, 1, 1, "", "no vrrp_instance block: a director needs one");
    }
    Instance election = instance(instance, routerId);
    List<VirtualServerConfig> virtualServers = new ArrayList<>();
    Set<ServiceKey> keys = new java.util.HashSet<>();
    for (ConfigStatement s : services) {
      VirtualServerConfig v = virtualServer(s);
      if (!keys.add(v.service().service().key())) {
        throw error(s.keyword(), "virtual_server " + v.service().service().key() + " is defined twice");
      }
      virtualServers.add(v);
    }
    return new DirectorConfig(election.config.nodeId().value(), election.config, election.bind,
        election.vips, election.announceRefresh, virtualServers, warnings);
  }

  private record Instance(HeartbeatConfig config, InetSocketAddress bind, List<VirtualAddress> vips,
      @Nullable Duration announceRefresh) {}

  private Instance instance(ConfigStatement s, @Nullable String routerId) throws ConfigException {
    HeartbeatConfig.Builder b = HeartbeatConfig.builder();
    @Nullable String iface = null;
    int vrid = -1;
    @Nullable InetAddress src = null;
    List<InetAddress> peers = new ArrayList<>();
    List<HeartbeatKey> keys = new ArrayList<>();
    Map<Integer, ConfigToken> keyAt = new HashMap<>();
    int port = DirectorConfig.DEFAULT_PORT;
    @Nullable ConfigStatement vipBlock = null;
    Map<Tracked, Integer> tracked = new LinkedHashMap<>();
    @Nullable Duration refresh = null;
    Map<String, ConfigToken> seen = new HashMap<>();
    for (ConfigStatement c : block(s, 1)) {
      once(seen, c, IGNORED_INSTANCE);
      switch (c.name()) {
        case "state" -> {
          String v = word(c);
          if (!v.equals("MASTER") && !v.equals("BACKUP")) {
            throw error(c.args().get(0), "state must be MASTER or BACKUP");
          }
        }
        case "interface" -> iface = interfaceName(c.args().isEmpty() ? c.keyword() : c.args().get(0), word(c));
        case "virtual_router_id" -> vrid = integer(c, 1, 255);
        case "priority" -> b.priority(integer(c, 1, 255));
        case "advert_int" -> {
          Duration d = seconds(c);
          if (d.compareTo(HeartbeatConfig.MIN_INTERVAL) < 0 || d.compareTo(Duration.ofHours(1)) > 0
              || !d.equals(Duration.ofMillis(d.toMillis()))) {
            throw error(c.args().get(0), "advert_int must be whole milliseconds in 0.01..3600 seconds");
          }
          b.advertisementInterval(d);
        }
        case "nopreempt" -> {
          none(c);
          b.preempt(false);
        }
        case "preempt_delay" -> b.preemptDelay(seconds(c));
        case "unicast_src_ip" -> src = address(c);
        case "unicast_peer" -> {
          for (ConfigStatement p : block(c, 0)) {
            if (p.block() != null) {
              throw error(p.keyword(), "unicast_peer lists addresses, without blocks");
            }
            peers.add(literal(p.keyword()));
            for (ConfigToken more : p.args()) {
              peers.add(literal(more));
            }
          }
        }
        case "authentication" -> {
          for (ConfigStatement a : block(c, 0)) {
            switch (a.name()) {
              case "auth_type" -> {
                if (!word(a).equals("PASS")) {
                  throw error(a.args().get(0), "auth_type must be PASS (the secret keys ha4j's HMAC)");
                }
              }
              case "auth_pass" -> addKey(keys, keyAt, a, a.args().isEmpty() ? a.keyword() : a.args().get(0), 1, word(a));
              default -> throw unknown(a, "authentication");
            }
          }
        }
        case "ha4j_key" -> {
          exactly(c, 2);
          int id = integerToken(c.args().get(0), 0, 255, "key id");
          addKey(keys, keyAt, c, c.args().get(1), id, c.args().get(1).text());
        }
        case "ha4j_port" -> port = integer(c, 1, 65535);
        case "ha4j_advert_copies" -> b.advertisementCopies(integer(c, 1, HeartbeatConfig.MAX_ADVERTISEMENT_COPIES));
        case "ha4j_cluster_id" -> {
          exactly(c, 1);
          ConfigToken t = c.args().get(0);
          try {
            b.clusterId(Integer.parseUnsignedInt(t.text()));
          } catch (NumberFormatException e) {
            throw error(t, "ha4j_cluster_id must be an integer in 0..4294967295");
          }
        }
        case "virtual_ipaddress" -> {
          block(c, 0);
          vipBlock = c;
        }
        case "track_interface" -> {
          for (ConfigStatement t : block(c, 0)) {
            String name = interfaceName(t.keyword(), t.name());
            int weight = 0;
            if (!t.args().isEmpty()) {
              if (t.args().size() != 2 || !t.args().get(0).text().equals("weight")) {
                throw error(t.args().get(0), "track_interface entries are 'IF' or 'IF weight W'");
              }
              weight = integerToken(t.args().get(1), -254, 254, "weight");
            }
            tracked.put(Tracked.networkInterface(name), weight);
          }
        }
        case "garp_master_refresh" -> {
          Duration d = seconds(c);
          refresh = d.isZero() ? null : d;
        }
        default -> {
          if (IGNORED_INSTANCE.contains(c.name())) {
            warn(c.keyword(), c.name() + " has no ha4j equivalent; ignored");
          } else {
            throw unknown(c, "vrrp_instance");
          }
        }
      }
    }
    String instanceName = s.args().get(0).text();
    if (iface == null) {
      throw missing(s, instanceName, "interface");
    }
    if (vrid < 0) {
      throw missing(s, instanceName, "virtual_router_id");
    }
    if (src == null) {
      throw missing(s, instanceName, "unicast_src_ip (ha4j's heartbeat is unicast here)");
    }
    if (peers.isEmpty()) {
      throw missing(s, instanceName, "unicast_peer");
    }
    if (keys.isEmpty()) {
      throw missing(s, instanceName, "a key: 'ha4j_key ID SECRET' or authentication { auth_pass SECRET }");
    }
    if (keys.size() > 2) {
      throw error(s.keyword(), "vrrp_instance " + instanceName + " has " + keys.size()
          + " keys; at most 2 (during a rollover)");
    }
    List<VirtualAddress> vips = new ArrayList<>();
    if (vipBlock != null) {
      for (ConfigStatement v : block(vipBlock, 0)) {
        vips.add(vip(v, iface));
      }
    }
    if (!tracked.containsKey(Tracked.networkInterface(iface))) {
      // keepalived tracks the instance's own interface: losing it means FAULT.
      tracked.put(Tracked.networkInterface(iface), 0);
    }
    tracked.forEach(b::track);
    String node = routerId != null ? routerId : src.getHostAddress();
    b.nodeId(node).groupId(vrid).keys(keys);
    for (InetAddress p : peers) {
      b.destination(new InetSocketAddress(p, port));
    }
    vips.forEach(b::virtualAddress);
    try {
      return new Instance(b.build(), new InetSocketAddress(src, port), vips, refresh);
    } catch (IllegalArgumentException e) {
      throw error(s.keyword(), "vrrp_instance " + instanceName + ": " + e.getMessage());
    }
  }

  private void addKey(List<HeartbeatKey> keys, Map<Integer, ConfigToken> keyAt, ConfigStatement c,
      ConfigToken secretToken, int id, String secret) throws ConfigException {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < HeartbeatKey.MIN_SECRET_BYTES) {
      throw error(secretToken, c.name() + " secret must be at least " + HeartbeatKey.MIN_SECRET_BYTES
          + " bytes (ha4j's HMAC key; keepalived's 8-character auth_pass is too short), was " + bytes.length);
    }
    ConfigToken earlier = keyAt.putIfAbsent(id, c.keyword());
    if (earlier != null) {
      throw error(c.keyword(), "key id " + id + " is defined twice (first at line " + earlier.line() + ")");
    }
    keys.add(new HeartbeatKey(id, bytes));
  }

  private VirtualAddress vip(ConfigStatement v, String defaultInterface) throws ConfigException {
    if (v.block() != null) {
      throw error(v.keyword(), "a virtual_ipaddress entry has no block");
    }
    ConfigToken t = v.keyword();
    String text = t.text();
    int slash = text.indexOf('/');
    InetAddress address = literal(t, slash < 0 ? text : text.substring(0, slash));
    int max = AddressFamily.of(address).bits();
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw error(t, "prefix length must be 0.." + max);
      }
    }
    String dev = defaultInterface;
    @Nullable String label = null;
    List<ConfigToken> a = v.args();
    for (int i = 0; i < a.size(); i += 2) {
      ConfigToken opt = a.get(i);
      if (i + 1 >= a.size()) {
        throw error(opt, "'" + opt.text() + "' needs a value");
      }
      ConfigToken val = a.get(i + 1);
      switch (opt.text()) {
        case "dev" -> dev = interfaceName(val, val.text());
        case "label" -> label = val.text();
        default -> throw error(opt, "unsupported virtual_ipaddress option (ha4j reads dev and label)");
      }
    }
    try {
      return new VirtualAddress(address, prefix, dev, label);
    } catch (IllegalArgumentException e) {
      throw error(t, String.valueOf(e.getMessage()));
    }
  }

  private VirtualServerConfig virtualServer(ConfigStatement s) throws ConfigException {
    List<ConfigStatement> body = block(s, 2);
    ConfigToken first = s.args().get(0);
    boolean fwmark = first.text().equals("fwmark");
    @Nullable InetAddress vsAddress = fwmark ? null : literal(first);
    int vsPort = 0;
    int mark = 0;
    if (fwmark) {
      ConfigToken m = s.args().get(1);
      try {
        mark = Integer.parseUnsignedInt(m.text());
      } catch (NumberFormatException e) {
        throw error(m, "fwmark must be an integer in 1..4294967295");
      }
      if (mark == 0) {
        throw error(m, "fwmark must be an integer in 1..4294967295");
      }
    } else {
      vsPort = integerToken(s.args().get(1), 0, 65535, "port");
    }
    Duration delayLoop = DEFAULT_DELAY_LOOP;
    String scheduler = "wlc";
    ForwardingMethod forwarding = ForwardingMethod.NAT;
    Protocol protocol = Protocol.TCP;
    AddressFamily family = AddressFamily.INET;
    int persistence = 0;
    int netmask = -1;
    int quorum = Quorum.DEFAULT.quorum();
    int hysteresis = Quorum.DEFAULT.hysteresis();
    @Nullable RealServer sorry = null;
    FailureMode failure = FailureMode.REMOVE;
    boolean alpha = false;
    List<ConfigStatement> realServers = new ArrayList<>();
    Map<String, ConfigToken> seen = new HashMap<>();
    for (ConfigStatement c : body) {
      once(seen, c, IGNORED_SERVICE);
      switch (c.name()) {
        case "delay_loop" -> delayLoop = positiveSeconds(c);
        case "lb_algo", "lvs_sched" -> {
          scheduler = word(c);
          if (!scheduler.matches("[a-z0-9_-]{1,15}")) {
            throw error(c.args().get(0), "scheduler must be a kernel scheduler name such as rr, wlc, sh, mh");
          }
        }
        case "lb_kind", "lvs_method" -> {
          String k = word(c).toUpperCase(Locale.ROOT);
          forwarding = switch (k) {
            case "NAT" -> ForwardingMethod.NAT;
            case "DR" -> ForwardingMethod.DR;
            case "TUN" -> ForwardingMethod.TUN;
            default -> throw error(c.args().get(0), "lb_kind must be NAT, DR or TUN");
          };
        }
        case "protocol" -> {
          String p = word(c).toUpperCase(Locale.ROOT);
          protocol = switch (p) {
            case "TCP" -> Protocol.TCP;
            case "UDP" -> Protocol.UDP;
            case "SCTP" -> Protocol.SCTP;
            default -> throw error(c.args().get(0), "protocol must be TCP, UDP or SCTP");
          };
        }
        case "ip_family" -> {
          String f = word(c);
          family = switch (f) {
            case "inet" -> AddressFamily.INET;
            case "inet6" -> AddressFamily.INET6;
            default -> throw error(c.args().get(0), "ip_family must be inet or inet6");
          };
        }
        case "persistence_timeout" -> persistence = integer(c, 1, Integer.MAX_VALUE);
        case "persistence_granularity" -> netmask = granularity(c);
        case "quorum" -> quorum = integer(c, 0, Integer.MAX_VALUE);
        case "hysteresis" -> hysteresis = integer(c, 0, Integer.MAX_VALUE);
        case "sorry_server" -> {
          exactly(c, 2);
          sorry = RealServer.of(literal(c.args().get(0)), integerToken(c.args().get(1), 0, 65535, "port"));
        }
        case "inhibit_on_failure" -> {
          none(c);
          failure = FailureMode.QUIESCE;
        }
        case "alpha" -> {
          none(c);
          alpha = true;
        }
        case "real_server" -> realServers.add(c);
        default -> {
          if (IGNORED_SERVICE.contains(c.name())) {
            warn(c.keyword(), c.name() + " has no ha4j equivalent; ignored");
          } else {
            throw unknown(c, "virtual_server");
          }
        }
      }
    }
    ServiceKey key;
    if (vsAddress != null) {
      key = ServiceKey.of(protocol, vsAddress, vsPort);
      family = AddressFamily.of(vsAddress);
    } else {
      key = ServiceKey.fwmark(mark, family);
    }
    if (netmask > family.bits()) {
      throw error(s.keyword(), "persistence_granularity /" + netmask + " does not fit " + family);
    }
    VirtualService service;
    try {
      service = VirtualService.of(key, scheduler)
          .withPersistence(persistence, netmask < 0 ? family.bits() : netmask);
    } catch (IllegalArgumentException e) {
      throw error(s.keyword(), String.valueOf(e.getMessage()));
    }
    List<RealServer> pool = new ArrayList<>();
    List<RealServerCheck> checks = new ArrayList<>();
    for (ConfigStatement r : realServers) {
      realServer(r, key, forwarding, delayLoop, pool, checks);
    }
    if (sorry != null) {
      sorry = sorry.withForwarding(forwarding);
    }
    try {
      DesiredService desired = new DesiredService(service, pool, sorry, failure, new Quorum(quorum, hysteresis));
      return new VirtualServerConfig(desired, checks, alpha);
    } catch (IllegalArgumentException e) {
      throw error(s.keyword(), String.valueOf(e.getMessage()));
    }
  }

  private void realServer(ConfigStatement r, ServiceKey key, ForwardingMethod forwarding,
      Duration delayLoop, List<RealServer> pool, List<RealServerCheck> checks) throws ConfigException {
    List<ConfigStatement> given = r.block();
    List<ConfigStatement> body = given == null ? List.of() : given;
    exactly(r, 2);
    InetAddress address = literal(r.args().get(0));
    int port = integerToken(r.args().get(1), 0, 65535, "port");
    RealServer server = RealServer.of(address, port).withForwarding(forwarding);
    for (RealServer earlier : pool) {
      if (earlier.endpoint().equals(server.endpoint())) {
        throw error(r.keyword(), "real_server " + server.endpoint() + " appears twice in " + key);
      }
    }
    @Nullable ConfigStatement checker = null;
    Map<String, ConfigToken> seen = new HashMap<>();
    for (ConfigStatement c : body) {
      once(seen, c, IGNORED_SERVICE);
      switch (c.name()) {
        case "weight" -> server = server.withWeight(integer(c, 0, 65535));
        case "TCP_CHECK", "HTTP_GET", "SSL_GET" -> {
          if (checker != null) {
            throw error(c.keyword(), "one checker per real_server (the first is at line "
                + checker.keyword().line() + ")");
          }
          block(c, 0);
          checker = c;
        }
        case "MISC_CHECK", "SMTP_CHECK", "DNS_CHECK", "BFD_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK",
            "notify_up", "notify_down" ->
            throw error(c.keyword(), c.name() + " is not supported by the ha4j director");
        default -> {
          if (IGNORED_SERVICE.contains(c.name())) {
            warn(c.keyword(), c.name() + " has no ha4j equivalent; ignored");
          } else {
            throw unknown(c, "real_server");
          }
        }
      }
    }
    pool.add(server);
    if (checker != null) {
      checks.add(check(checker, server, delayLoop));
    }
  }

  private RealServerCheck check(ConfigStatement c, RealServer server, Duration delayLoop) throws ConfigException {
    boolean http = !c.name().equals("TCP_CHECK");
    Duration interval = delayLoop;
    Duration timeout = DEFAULT_CONNECT_TIMEOUT;
    InetAddress ip = server.address();
    int port = server.port();
    int retries = 0;
    Duration retryDelay = Duration.ofSeconds(1);
    int rise = 1;
    int fall = 1;
    @Nullable ConfigStatement url = null;
    @Nullable String host = null;
    Map<String, ConfigToken> seen = new HashMap<>();
    for (ConfigStatement o : block(c, 0)) {
      once(seen, o, IGNORED_CHECKER);
      switch (o.name()) {
        case "connect_timeout" -> timeout = positiveSeconds(o);
        case "connect_port" -> port = integer(o, 1, 65535);
        case "connect_ip" -> ip = address(o);
        case "retry", "nb_get_retry" -> retries = integer(o, 0, 1000);
        case "delay_before_retry" -> retryDelay = seconds(o);
        case "delay_loop" -> interval = positiveSeconds(o);
        case "rise" -> rise = integer(o, 1, 1000);
        case "fall" -> fall = integer(o, 1, 1000);
        case "url" -> {
          if (!http) {
            throw unknown(o, c.name());
          }
          if (url != null) {
            throw error(o.keyword(), "one url per " + c.name() + " in ha4j (the first is at line "
                + url.keyword().line() + ")");
          }
          block(o, 0);
          url = o;
        }
        case "virtualhost" -> {
          if (!http) {
            throw unknown(o, c.name());
          }
          host = word(o);
        }
        default -> {
          if (IGNORED_CHECKER.contains(o.name())) {
            warn(o.keyword(), o.name() + " has no ha4j equivalent; ignored");
          } else {
            throw unknown(o, c.name());
          }
        }
      }
    }
    if (port == 0) {
      throw error(c.keyword(), "the real server has port 0: set connect_port");
    }
    HealthCheck check;
    if (!http) {
      check = new TcpCheck(new InetSocketAddress(ip, port));
    } else {
      if (url == null) {
        throw error(c.keyword(), c.name() + " needs a url { path ... } block");
      }
      check = httpCheck(c, url, ip, port, host);
    }
    try {
      CheckSettings settings = new CheckSettings(interval, timeout, rise, fall, retries, retryDelay, true);
      return new RealServerCheck(server.endpoint(), check, settings);
    } catch (IllegalArgumentException e) {
      throw error(c.keyword(), String.valueOf(e.getMessage()));
    }
  }

  private HealthCheck httpCheck(ConfigStatement c, ConfigStatement url, InetAddress ip, int port,
      @Nullable String host) throws ConfigException {
    boolean tls = c.name().equals("SSL_GET");
    String path = "/";
    int minStatus = 200;
    int maxStatus = 299;
    @Nullable String sha256 = null;
    Map<String, ConfigToken> seen = new HashMap<>();
    for (ConfigStatement u : block(url, 0)) {
      once(seen, u, Set.of());
      switch (u.name()) {
        case "path" -> {
          path = word(u);
          if (!path.startsWith("/")) {
            throw error(u.args().get(0), "path must start with '/'");
          }
        }
        case "status_code" -> {
          ConfigToken t = u.args().isEmpty() ? u.keyword() : u.args().get(0);
          exactly(u, 1);
          String v = t.text();
          int dash = v.indexOf('-');
          if (dash > 0) {
            minStatus = integerToken(new ConfigToken(v.substring(0, dash), t.line(), t.column(), t.quoted()), 100, 599, "status_code");
            maxStatus = integerToken(new ConfigToken(v.substring(dash + 1), t.line(), t.column(), t.quoted()), minStatus, 599, "status_code");
          } else {
            minStatus = integerToken(t, 100, 599, "status_code");
            maxStatus = minStatus;
          }
        }
        case "digest" -> {
          String d = word(u).toLowerCase(Locale.ROOT);
          if (!d.matches("[0-9a-f]{64}")) {
            throw error(u.args().get(0), d.matches("[0-9a-f]{32}")
                ? "digest is keepalived's MD5; ha4j checks SHA-256: give 64 hex digits (sha256sum of the body)"
                : "digest must be 64 hex digits (the SHA-256 of the body)");
          }
          sha256 = d;
        }
        default -> throw unknown(u, "url");
      }
    }
    String hostText = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
    try {
      HttpCheck.Builder b = HttpCheck.get(new URI((tls ? "https" : "http") + "://" + hostText + ":" + port + path))
          .status(minStatus, maxStatus).insecureTls(tls);
      if (host != null) {
        b.hostHeader(host);
      }
      if (sha256 != null) {
        b.sha256(sha256);
      }
      return b.build();
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw error(url.keyword(), "bad url: " + e.getMessage());
    }
  }

  private int granularity(ConfigStatement c) throws ConfigException {
    ConfigToken t = arg(c);
    exactly(c, 1);
    String v = t.text();
    if (v.matches("\\d{1,3}")) {
      return integerToken(t, 0, 128, "persistence_granularity");
    }
    if (v.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      long bits = 0;
      for (String part : v.split("\\.")) {
        int octet = Integer.parseInt(part);
        if (octet > 255) {
          throw error(t, "persistence_granularity is not a netmask");
        }
        bits = (bits << 8) | octet;
      }
      int len = Long.bitCount(bits);
      long expected = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
      if (bits != expected) {
        throw error(t, "persistence_granularity is not a contiguous netmask");
      }
      return len;
    }
    throw error(t, "persistence_granularity must be a netmask (255.255.255.0) or a prefix length");
  }

  /** Keywords that may repeat; every other one is an error the second time. */
  private static final Set<String> REPEATABLE = Set.of(
      "real_server", "ha4j_key", "TCP_CHECK", "HTTP_GET", "SSL_GET", "url");

  private void once(Map<String, ConfigToken> seen, ConfigStatement c, Set<String> ignored) throws ConfigException {
    if (REPEATABLE.contains(c.name()) || ignored.contains(c.name())) {
      return;
    }
    ConfigToken earlier = seen.putIfAbsent(c.name(), c.keyword());
    if (earlier != null) {
      throw error(c.keyword(), c.name() + " is given twice (first at line " + earlier.line() + ")");
    }
  }

  // ---- argument helpers: each error points at the token concerned.

  private List<ConfigStatement> block(ConfigStatement s, int args) throws ConfigException {
    exactly(s, args);
    List<ConfigStatement> b = s.block();
    if (b == null) {
      throw error(s.keyword(), s.name() + " needs a { ... } block");
    }
    return b;
  }

  private void exactly(ConfigStatement s, int n) throws ConfigException {
    if (s.args().size() > n) {
      throw error(s.args().get(n), "unexpected word after " + s.name() + " (it takes " + n + ")");
    }
    if (s.args().size() < n) {
      throw error(s.keyword(), s.name() + " needs " + n + (n == 1 ? " value" : " values"));
    }
    if (s.block() != null && !blockKeyword(s.name())) {
      throw error(s.keyword(), s.name() + " takes no { ... } block");
    }
  }

  private static boolean blockKeyword(String name) {
    return switch (name) {
      case "global_defs", "vrrp_instance", "virtual_server", "real_server", "unicast_peer", "authentication",
          "virtual_ipaddress", "track_interface", "TCP_CHECK", "HTTP_GET", "SSL_GET", "url" -> true;
      default -> false;
    };
  }

  private void none(ConfigStatement s) throws ConfigException {
    exactly(s, 0);
  }

  private ConfigToken arg(ConfigStatement s) throws ConfigException {
    if (s.args().isEmpty()) {
      throw error(s.keyword(), s.name() + " needs a value");
    }
    return s.args().get(0);
  }

  private String word(ConfigStatement s) throws ConfigException {
    exactly(s, 1);
    return s.args().get(0).text();
  }

  private int integer(ConfigStatement s, int min, int max) throws ConfigException {
    exactly(s, 1);
    return integerToken(s.args().get(0), min, max, s.name());
  }

  private int integerToken(ConfigToken t, int min, int max, String what) throws ConfigException {
    try {
      int v = Integer.parseInt(t.text());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw error(t, what + " must be an integer in " + min + ".." + max);
  }

  private Duration seconds(ConfigStatement s) throws ConfigException {
    exactly(s, 1);
    ConfigToken t = s.args().get(0);
    try {
      BigDecimal v = new BigDecimal(t.text());
      if (v.signum() >= 0 && v.compareTo(BigDecimal.valueOf(86_400L * 365)) <= 0) {
        return Duration.ofNanos(v.movePointRight(9).longValueExact());
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below
    }
    throw error(t, s.name() + " must be a number of seconds (fractions allowed, down to nanoseconds)");
  }

  private Duration positiveSeconds(ConfigStatement s) throws ConfigException {
    Duration d = seconds(s);
    if (d.isZero()) {
      throw error(s.args().get(0), s.name() + " must be more than 0 seconds");
    }
    return d;
  }

  private InetAddress address(ConfigStatement s) throws ConfigException {
    exactly(s, 1);
    return literal(s.args().get(0));
  }

  private InetAddress literal(ConfigToken t) throws ConfigException {
    return literal(t, t.text());
  }

  /** A numeric IPv4 or IPv6 address; names are refused so that parsing never asks DNS. */
  private InetAddress literal(ConfigToken t, String text) throws ConfigException {
    if (!ADDRESS.matcher(text).matches() || (!text.contains(":") && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
      throw error(t, "not an IPv4 or IPv6 address");
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw error(t, "not an IPv4 or IPv6 address");
    }
  }

  private String interfaceName(ConfigToken t, String name) throws ConfigException {
    if (name.isEmpty() || name.length() > VirtualAddress.MAX_NAME_LENGTH || name.contains("/")) {
      throw error(t, "not a Linux interface name (1.." + VirtualAddress.MAX_NAME_LENGTH + " characters, no '/')");
    }
    return name;
  }

  private void warn(ConfigToken at, String text) {
    warnings.add(file + ":" + at.line() + ":" + at.column() + ": " + text);
  }

  private ConfigException unknown(ConfigStatement s, String where) {
    return error(s.keyword(), "unknown keyword in " + where);
  }

  private ConfigException missing(ConfigStatement s, String instance, String what) {
    return error(s.keyword(), "vrrp_instance " + instance + " lacks " + what);
  }

  private ConfigException error(ConfigToken at, String problem) {
    return new ConfigException(file, at, problem);
  }
}
