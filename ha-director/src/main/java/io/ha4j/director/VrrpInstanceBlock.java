package io.ha4j.director;

import io.ha4j.api.VirtualAddress;
import io.ha4j.api.election.Tracked;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.HeartbeatKey;
import java.net.Inet6Address;
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
        switch (d.word()) {
          case "PASS" -> { }
          case "AH" -> d.words().warn(d.arg(0), "auth_type AH: ha4j authenticates with its HMAC keyed from auth_pass,"
              + " not with keepalived's IPsec AH header");
          default -> throw d.error(d.arg(0), "auth_type must be PASS or AH (either way auth_pass keys ha4j's HMAC)");
        }
      })
      .repeatedKeyword("auth_pass", VrrpInstanceBlock::authPass);

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
      // keepalived's accept mode (RFC 5798 Accept_Mode): a master that does not own the address
      // still accepts its traffic. ha4j never drops traffic to a VIP, so that is what it does.
      .keyword("accept", (b, d) -> d.none())
      .unsupported("no_accept")
      .keyword("nopreempt", (b, d) -> {
        d.none();
        b.heartbeat.preempt(false);
      })
      .keyword("preempt_delay", (b, d) -> b.heartbeat.preemptDelay(d.seconds()))
      .keyword("unicast_src_ip", VrrpInstanceBlock::source)
      .keyword("mcast_src_ip", VrrpInstanceBlock::source)
      .keyword("mcast_dst_ip", (b, d) -> {
        InetAddress g = d.address();
        if (!g.isMulticastAddress()) {
          throw d.error(d.arg(0), "mcast_dst_ip must be a multicast address");
        }
        b.group = g;
        b.groupAt = d.arg(0);
      })
      .block("unicast_peer", VrrpInstanceBlock::unicastPeer)
      .block("authentication", (b, d) -> AUTHENTICATION.read(d, 0, b))
      .repeatedKeyword("ha4j_key", (b, d) -> {
        d.exactly(2);
        int id = d.words().integer(d.arg(0), 0, 255, "key id");
        byte[] secret = d.arg(1).text().getBytes(StandardCharsets.UTF_8);
        if (secret.length < HeartbeatKey.MIN_SECRET_BYTES) {
          throw d.error(d.arg(1), "ha4j_key secret must be at least " + HeartbeatKey.MIN_SECRET_BYTES
              + " bytes (ha4j's HMAC key), was " + secret.length);
        }
        b.addKey(d, id, secret);
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

  /**
   * What the director takes from the instance.
   *
   * @param bind the heartbeat socket's address: unicast_src_ip and the port, or the multicast group and the port
   * @param multicast the multicast group's settings, or null for unicast
   */
  record Instance(HeartbeatConfig config, InetSocketAddress bind, DirectorConfig.@Nullable Multicast multicast,
      List<VirtualAddress> vips, @Nullable Duration announceRefresh) {}

  /**
   * What {@code global_defs} says for every instance.
   *
   * @param routerId the node id's name, or null
   * @param group4 {@code vrrp_mcast_group4}, default 224.0.0.18 (RFC 5798 section 5.1.1.2)
   * @param group6 {@code vrrp_mcast_group6}, default ff02::12 (RFC 5798 section 5.1.2.2)
   */
  record Globals(@Nullable ConfigToken routerId, InetAddress group4, InetAddress group6) {}

  private final HeartbeatConfig.Builder heartbeat = HeartbeatConfig.builder();
  private @Nullable String iface;
  private int vrid = -1;
  private @Nullable InetAddress src;
  private @Nullable InetAddress group;
  private @Nullable ConfigToken groupAt;
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

  /** Reads the block of {@code s}; the node id derives from the router_id (see {@link NodeIdName}). */
  static Instance read(Directive s, Globals globals) throws ConfigException {
    VrrpInstanceBlock b = new VrrpInstanceBlock();
    KEYWORDS.read(s, 1, b);
    return b.end(s, globals);
  }

  /** unicast_src_ip or mcast_src_ip: keepalived takes them as one setting. */
  private void source(Directive d) throws ConfigException {
    InetAddress a = d.address();
    if (src != null) {
      throw d.error("unicast_src_ip and mcast_src_ip are one setting in keepalived: give one");
    }
    src = a;
  }

  private void authPass(Directive d) throws ConfigException {
    byte[] password = d.word().getBytes(StandardCharsets.UTF_8);
    if (password.length == 0) {
      throw d.error(d.arg(0), "auth_pass must not be empty");
    }
    if (password.length < HeartbeatKey.MIN_SECRET_BYTES) {
      // Never the secret itself: warnings end up in logs.
      d.words().warn(d.arg(0), "auth_pass is " + password.length + " bytes: ha4j derives its HMAC key from it (never"
          + " sent, unlike keepalived's PASS), but a short password is easy to guess; use " + HeartbeatKey.MIN_SECRET_BYTES
          + "+ bytes or ha4j_key");
    }
    addKey(d, 1, AuthPass.keyBytes(password));
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

  private void addKey(Directive d, int id, byte[] bytes) throws ConfigException {
    ConfigToken earlier = keyAt.putIfAbsent(id, d.keyword());
    if (earlier != null) {
      throw d.error("key id " + id + " is defined twice (first at line " + earlier.line() + ")");
    }
    keys.add(new HeartbeatKey(id, bytes));
  }

  /** The end of the block: what is required, then the addresses, then the heartbeat's settings. */
  private Instance end(Directive s, Globals globals) throws ConfigException {
    String instanceName = s.arg(0).text();
    String iface = this.iface;
    if (iface == null) {
      throw missing(s, instanceName, "interface");
    }
    if (vrid < 0) {
      throw missing(s, instanceName, "virtual_router_id");
    }
    if (keys.isEmpty()) {
      // keepalived runs such an instance unauthenticated; ha4j never lets an unauthenticated
      // heartbeat change a role (design: any host on the link could take the VIP), so it refuses.
      throw missing(s, instanceName, "a key: 'ha4j_key ID SECRET' or authentication { auth_pass SECRET }"
          + " (ha4j acts only on authenticated heartbeats; keepalived's default of none is not supported)");
    }
    if (keys.size() > 2) {
      throw s.error("vrrp_instance " + instanceName + " has " + keys.size() + " keys; at most 2 (during a rollover)");
    }
    List<VirtualAddress> vips = new ArrayList<>();
    Directive v = vipBlock;
    if (v != null) {
      for (ConfigStatement a : v.block(0)) {
        vips.add(VirtualAddressLine.read(a, iface, s.words()));
      }
    }
    if (!tracked.containsKey(Tracked.networkInterface(iface))) {
      // keepalived tracks the instance's own interface: losing it means FAULT.
      tracked.put(Tracked.networkInterface(iface), 0);
    }
    tracked.forEach(heartbeat::track);
    InetAddress src = this.src;
    @Nullable ConfigToken routerId = globals.routerId();
    InetSocketAddress bind;
    DirectorConfig.@Nullable Multicast multicast = null;
    if (peers.isEmpty()) {
      bind = new InetSocketAddress(multicastGroup(s, globals, src, vips), port);
      multicast = new DirectorConfig.Multicast(bind, iface, src, routerId == null ? null : routerId.text());
      heartbeat.destination(bind);
      // Without mcast_src_ip the address is the interface's, known at start: until then the id names the interface.
      heartbeat.nodeId(nodeId(routerId, src != null ? src.getHostAddress() : iface, s.words()));
    } else {
      ConfigToken at = groupAt;
      if (at != null) {
        throw s.error(at, "mcast_dst_ip with unicast_peer: the heartbeat is unicast to the peers; give one of them");
      }
      if (src == null) {
        throw missing(s, instanceName, "unicast_src_ip (needed with unicast_peer: the heartbeat socket's address)");
      }
      bind = new InetSocketAddress(src, port);
      for (InetAddress p : peers) {
        heartbeat.destination(new InetSocketAddress(p, port));
      }
      heartbeat.nodeId(nodeId(routerId, src.getHostAddress(), s.words()));
    }
    heartbeat.groupId(vrid).keys(keys)
        .witnessPort(witnessPort > 0 ? witnessPort : port <= 65533 ? port + 2 : port - 2);
    vips.forEach(heartbeat::virtualAddress);
    try {
      return new Instance(heartbeat.build(), bind, multicast, vips, refresh);
    } catch (IllegalArgumentException e) {
      throw s.error("vrrp_instance " + instanceName + ": " + e.getMessage());
    }
  }

  /**
   * The group of a multicast instance: mcast_dst_ip, else global_defs' group of the instance's
   * family, which is that of mcast_src_ip, else of the first virtual address (keepalived's
   * reading), else IPv4.
   */
  private InetAddress multicastGroup(Directive s, Globals globals, @Nullable InetAddress src, List<VirtualAddress> vips)
      throws ConfigException {
    boolean v6 = src != null ? src instanceof Inet6Address
        : !vips.isEmpty() && vips.get(0).address() instanceof Inet6Address;
    InetAddress g = group;
    ConfigToken at = groupAt;
    if (g == null || at == null) {
      return v6 ? globals.group6() : globals.group4();
    }
    if ((g instanceof Inet6Address) != v6) {
      throw s.error(at, "mcast_dst_ip is IPv" + (v6 ? 4 : 6) + " but the instance is IPv" + (v6 ? 6 : 4)
          + " (from " + (src != null ? "mcast_src_ip" : "its first virtual_ipaddress") + ")");
    }
    return g;
  }

  private static String nodeId(@Nullable ConfigToken routerId, String address, ConfigWords words) {
    if (routerId == null) {
      return address;
    }
    return NodeIdName.of(routerId.text(), address, w -> words.warn(routerId, w));
  }

  private static ConfigException missing(Directive s, String instance, String what) {
    return s.error("vrrp_instance " + instance + " lacks " + what);
  }
}
