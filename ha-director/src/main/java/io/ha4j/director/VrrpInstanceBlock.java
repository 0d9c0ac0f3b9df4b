package io.ha4j.director;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.NodeId;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.election.Tracked;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.HeartbeatKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code vrrp_instance} block: its keywords (and those of its {@code authentication} block)
 * with the handlers that fill in the heartbeat's settings, and the end of the block, which checks
 * what is required and builds the {@link HeartbeatConfig}.
 */
final class VrrpInstanceBlock {

  static final Set<String> IGNORED = Set.of(
      "smtp_alert", "garp_master_delay", "garp_master_repeat", "garp_lower_prio_delay",
      "garp_lower_prio_repeat");

  private static final KeywordTable<VrrpInstanceBlock> AUTHENTICATION = new KeywordTable<VrrpInstanceBlock>()
      .repeatedKeyword("auth_type", (b, d) -> {
        if (!d.word().equals("PASS")) {
          throw d.error(d.arg(0), "auth_type must be PASS (the secret keys ha4j's HMAC)");
        }
      })
      .repeatedKeyword("auth_pass", (b, d) -> b.addKey(d, d.valueOrKeyword(), 1, d.word()));

  private static final KeywordTable<VrrpInstanceBlock> KEYWORDS = new KeywordTable<VrrpInstanceBlock>()
      .keyword("state", (b, d) -> {
        String v = d.word();
        if (!v.equals("MASTER") && !v.equals("BACKUP")) {
          throw d.error(d.arg(0), "state must be MASTER or BACKUP");
        }
      })
      .keyword("interface", (b, d) -> b.iface = d.words().interfaceName(d.valueOrKeyword(), d.word()))
      .keyword("virtual_router_id", (b, d) -> b.vrid = d.integer(1, 255))
      .keyword("priority", (b, d) -> b.heartbeat.priority(d.integer(1, 255)))
      .keyword("advert_int", VrrpInstanceBlock::advertInt)
      .keyword("nopreempt", (b, d) -> {
        d.none();
        b.heartbeat.preempt(false);
      })
      .keyword("preempt_delay", (b, d) -> b.heartbeat.preemptDelay(d.seconds()))
      .keyword("unicast_src_ip", (b, d) -> b.src = d.address())
      .block("unicast_peer", VrrpInstanceBlock::unicastPeer)
      .block("authentication", (b, d) -> AUTHENTICATION.read(d, 0, b))
      .repeatedKeyword("ha4j_key", (b, d) -> {
        d.exactly(2);
        int id = d.words().integer(d.arg(0), 0, 255, "key id");
        b.addKey(d, d.arg(1), id, d.arg(1).text());
      })
      .keyword("ha4j_port", (b, d) -> b.port = d.integer(1, 65535))
      .keyword("ha4j_advert_copies", (b, d) ->
          b.heartbeat.advertisementCopies(d.integer(1, HeartbeatConfig.MAX_ADVERTISEMENT_COPIES)))
      .keyword("ha4j_cluster_id", VrrpInstanceBlock::clusterId)
      .keyword("ha4j_witness", (b, d) -> b.heartbeat.witness(switch (d.word()) {
        case "on" -> true;
        case "off" -> false;
        default -> throw d.error(d.arg(0), "ha4j_witness must be on or off");
      }))
      .keyword("ha4j_witness_port", (b, d) -> b.witnessPort = d.integer(1, 65535))
      .block("virtual_ipaddress", (b, d) -> {
        d.block(0);
        b.vipBlock = d; // read at the end: an address's default device is the instance's interface
      })
      .block("track_interface", VrrpInstanceBlock::trackInterface)
      .keyword("garp_master_refresh", (b, d) -> {
        Duration r = d.seconds();
        b.refresh = r.isZero() ? null : r;
      })
      .ignored(IGNORED, " has no ha4j equivalent; ignored");

  /** What the director takes from the instance. */
  record Instance(HeartbeatConfig config, InetSocketAddress bind, List<VirtualAddress> vips,
      @Nullable Duration announceRefresh) {}

  private final HeartbeatConfig.Builder heartbeat = HeartbeatConfig.builder();
  private @Nullable String iface;
  private int vrid = -1;
  private @Nullable InetAddress src;
  private final List<InetAddress> peers = new ArrayList<>();
  private final List<HeartbeatKey> keys = new ArrayList<>();
  private final Map<Integer, ConfigToken> keyAt = new HashMap<>();
  private int port = DirectorConfig.DEFAULT_PORT;
  /** 0: the heartbeat port plus 2 (5407 beside the default 5405, as {@link HeartbeatConfig#DEFAULT_WITNESS_PORT}). */
  private int witnessPort;
  private @Nullable Directive vipBlock;
  private final Map<Tracked, Integer> tracked = new LinkedHashMap<>();
  private @Nullable Duration refresh;

  private VrrpInstanceBlock() {}

  /** Reads the block of {@code s}; the node id derives from {@code routerId} (see {@link #nodeId}). */
  static Instance read(Directive s, @Nullable ConfigToken routerId) throws ConfigException {
    VrrpInstanceBlock b = new VrrpInstanceBlock();
    KEYWORDS.read(s, 1, b);
    return b.end(s, routerId);
  }

  private void advertInt(Directive d) throws ConfigException {
    Duration v = d.seconds();
    if (v.compareTo(HeartbeatConfig.MIN_INTERVAL) < 0 || v.compareTo(Duration.ofHours(1)) > 0
        || !v.equals(Duration.ofMillis(v.toMillis()))) {
      throw d.error(d.arg(0), "advert_int must be whole milliseconds in 0.01..3600 seconds");
    }
    heartbeat.advertisementInterval(v);
  }

  private void unicastPeer(Directive d) throws ConfigException {
    for (ConfigStatement p : d.block(0)) {
      if (p.block() != null) {
        throw d.error(p.keyword(), "unicast_peer lists addresses, without blocks");
      }
      peers.add(d.words().address(p.keyword()));
      for (ConfigToken more : p.args()) {
        peers.add(d.words().address(more));
      }
    }
  }

  private void clusterId(Directive d) throws ConfigException {
    d.exactly(1);
    ConfigToken t = d.arg(0);
    try {
      heartbeat.clusterId(Integer.parseUnsignedInt(t.text()));
    } catch (NumberFormatException e) {
      throw d.error(t, "ha4j_cluster_id must be an integer in 0..4294967295");
    }
  }

  private void trackInterface(Directive d) throws ConfigException {
    for (ConfigStatement t : d.block(0)) {
      String name = d.words().interfaceName(t.keyword(), t.name());
      int weight = 0;
      if (!t.args().isEmpty()) {
        if (t.args().size() != 2 || !t.args().get(0).text().equals("weight")) {
          throw d.error(t.args().get(0), "track_interface entries are 'IF' or 'IF weight W'");
        }
        weight = d.words().integer(t.args().get(1), -254, 254, "weight");
      }
      tracked.put(Tracked.networkInterface(name), weight);
    }
  }

  private void addKey(Directive d, ConfigToken secretToken, int id, String secret) throws ConfigException {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < HeartbeatKey.MIN_SECRET_BYTES) {
      throw d.error(secretToken, d.name() + " secret must be at least " + HeartbeatKey.MIN_SECRET_BYTES
          + " bytes (ha4j's HMAC key; keepalived's 8-character auth_pass is too short), was " + bytes.length);
    }
    ConfigToken earlier = keyAt.putIfAbsent(id, d.keyword());
    if (earlier != null) {
      throw d.error("key id " + id + " is defined twice (first at line " + earlier.line() + ")");
    }
    keys.add(new HeartbeatKey(id, bytes));
  }

  /** The end of the block: what is required, then the addresses, then the heartbeat's settings. */
  private Instance end(Directive s, @Nullable ConfigToken routerId) throws ConfigException {
    String instanceName = s.arg(0).text();
    String iface = this.iface;
    if (iface == null) {
      throw missing(s, instanceName, "interface");
    }
    if (vrid < 0) {
      throw missing(s, instanceName, "virtual_router_id");
    }
    InetAddress src = this.src;
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
      throw s.error("vrrp_instance " + instanceName + " has " + keys.size() + " keys; at most 2 (during a rollover)");
    }
    List<VirtualAddress> vips = new ArrayList<>();
    Directive v = vipBlock;
    if (v != null) {
      for (ConfigStatement a : v.block(0)) {
        vips.add(vip(a, iface, s.words()));
      }
    }
    if (!tracked.containsKey(Tracked.networkInterface(iface))) {
      // keepalived tracks the instance's own interface: losing it means FAULT.
      tracked.put(Tracked.networkInterface(iface), 0);
    }
    tracked.forEach(heartbeat::track);
    heartbeat.nodeId(nodeId(routerId, src, s.words())).groupId(vrid).keys(keys)
        .witnessPort(witnessPort > 0 ? witnessPort : port <= 65533 ? port + 2 : port - 2);
    for (InetAddress p : peers) {
      heartbeat.destination(new InetSocketAddress(p, port));
    }
    vips.forEach(heartbeat::virtualAddress);
    try {
      return new Instance(heartbeat.build(), new InetSocketAddress(src, port), vips, refresh);
    } catch (IllegalArgumentException e) {
      throw s.error("vrrp_instance " + instanceName + ": " + e.getMessage());
    }
  }

  /**
   * The heartbeat's node id: {@code router_id@source}, or the source address alone without a
   * router_id. Operators copy keepalived's sample {@code router_id LVS_DEVEL} to both nodes; two
   * nodes of one id each take the other's advertisements for their own and both stay master. The
   * node's own address makes copied configurations differ. A router_id too long for {@link
   * NodeId#MAX_BYTES} with the address is cut, with a warning.
   */
  private static String nodeId(@Nullable ConfigToken routerId, InetAddress source, ConfigWords words) {
    String address = source.getHostAddress();
    if (routerId == null) {
      return address;
    }
    String name = routerId.text();
    int room = NodeId.MAX_BYTES - 1 - address.length();
    if (name.getBytes(StandardCharsets.UTF_8).length <= room) {
      return name + "@" + address;
    }
    StringBuilder cut = new StringBuilder();
    int bytes = 0;
    for (int cp : name.codePoints().toArray()) {
      bytes += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes > room) {
        break;
      }
      cut.appendCodePoint(cp);
    }
    String id = cut + "@" + address;
    words.warn(routerId, "router_id is cut to fit the node id '" + id + "' (" + NodeId.MAX_BYTES
        + " bytes at most, with the address)");
    return id;
  }

  private static ConfigException missing(Directive s, String instance, String what) {
    return s.error("vrrp_instance " + instance + " lacks " + what);
  }

  /** One line of {@code virtual_ipaddress}: {@code A[/LEN] [dev IF] [label L]}. */
  private static VirtualAddress vip(ConfigStatement v, String defaultInterface, ConfigWords words)
      throws ConfigException {
    if (v.block() != null) {
      throw words.error(v.keyword(), "a virtual_ipaddress entry has no block");
    }
    ConfigToken t = v.keyword();
    String text = t.text();
    int slash = text.indexOf('/');
    InetAddress address = words.address(t, slash < 0 ? text : text.substring(0, slash));
    int max = AddressFamily.of(address).bits();
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw words.error(t, "prefix length must be 0.." + max);
      }
    }
    String dev = defaultInterface;
    @Nullable String label = null;
    List<ConfigToken> a = v.args();
    for (int i = 0; i < a.size(); i += 2) {
      ConfigToken opt = a.get(i);
      if (i + 1 >= a.size()) {
        throw words.error(opt, "'" + opt.text() + "' needs a value");
      }
      ConfigToken val = a.get(i + 1);
      switch (opt.text()) {
        case "dev" -> dev = words.interfaceName(val, val.text());
        case "label" -> label = val.text();
        default -> throw words.error(opt, "unsupported virtual_ipaddress option (ha4j reads dev and label)");
      }
    }
    try {
      return new VirtualAddress(address, prefix, dev, label);
    } catch (IllegalArgumentException e) {
      throw words.error(t, String.valueOf(e.getMessage()));
    }
  }
}
