package io.ha4j.director;

import io.ha4j.api.VirtualAddress;
import io.ha4j.api.election.Tracked;
import io.ha4j.heartbeat.HeartbeatConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A director's configuration as read from its file (see the package documentation for the
 * format).
 *
 * @param routerId {@code global_defs { router_id }}, or {@code unicast_src_ip}'s address without
 *     one; the heartbeat's node id is {@code router_id@unicast_src_ip} (copied configurations still
 *     differ), see {@link HeartbeatConfig#nodeId()}
 * @param heartbeat the election settings of the {@code vrrp_instance}; null in LVS-only mode (no
 *     {@code vrrp_instance}: the checks drive the table, with no election and no VIP)
 * @param heartbeatBind where the heartbeat socket is bound: {@code unicast_src_ip} and the port, or
 *     for a multicast instance the group and the port
 * @param multicast the group of an instance without {@code unicast_peer}, or null for unicast
 * @param virtualAddresses the {@code virtual_ipaddress} block
 * @param announceRefresh {@code garp_master_refresh}, or null for none
 * @param virtualServers the {@code virtual_server} blocks in file order
 * @param warnings keywords read but ignored, each as {@code file:line:column: text}
 */
public record DirectorConfig(
    String routerId,
    @Nullable HeartbeatConfig heartbeat,
    @Nullable InetSocketAddress heartbeatBind,
    @Nullable Multicast multicast,
    List<VirtualAddress> virtualAddresses,
    @Nullable Duration announceRefresh,
    List<VirtualServerConfig> virtualServers,
    List<String> warnings) {

  /** LVS-only mode: no {@code vrrp_instance}, so no election and no VIP; the checks drive the table. */
  public boolean lvsOnly() {
    return heartbeat == null;
  }

  /** The UDP port of ha4j's heartbeat unless {@code ha4j_port} says otherwise. */
  public static final int DEFAULT_PORT = 5405;

  /**
   * How a multicast instance's heartbeat goes (keepalived's default without {@code unicast_peer}):
   * to {@code group} on {@code interfaceName}.
   *
   * @param group {@code mcast_dst_ip} or global_defs' {@code vrrp_mcast_group4}/{@code
   *     vrrp_mcast_group6} (224.0.0.18, ff02::12), and the heartbeat port
   * @param interfaceName the instance's {@code interface}: the group is joined and sent to there
   * @param source {@code mcast_src_ip}, or null: the node id then takes the interface's address at
   *     start ({@link #withSource}), and until then names the interface
   * @param routerName the {@code router_id}, to name the node once the source is known; null without one
   */
  public record Multicast(InetSocketAddress group, String interfaceName, @Nullable InetAddress source,
      @Nullable String routerName) {
    public Multicast {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(interfaceName, "interfaceName");
      if (!group.getAddress().isMulticastAddress()) {
        throw new IllegalArgumentException("not a multicast group: " + group);
      }
    }
  }

  public DirectorConfig {
    Objects.requireNonNull(routerId, "routerId");
    if ((heartbeat == null) != (heartbeatBind == null) || (heartbeat == null && multicast != null)) {
      throw new IllegalArgumentException("an election needs its heartbeat and its socket address; LVS-only has neither");
    }
    virtualAddresses = List.copyOf(virtualAddresses);
    virtualServers = List.copyOf(virtualServers);
    warnings = List.copyOf(warnings);
  }

  /**
   * This configuration with the heartbeat's node id taken from {@code source}, the interface's
   * address found at start, when a multicast instance has no {@code mcast_src_ip}; itself
   * otherwise. {@code cut} hears the warning when the router_id is cut to fit.
   */
  public DirectorConfig withSource(InetAddress source, Consumer<String> cut) {
    Multicast m = multicast;
    HeartbeatConfig h = heartbeat;
    if (m == null || m.source() != null || h == null) {
      return this;
    }
    String id = NodeIdName.of(m.routerName(), source.getHostAddress(), cut);
    return new DirectorConfig(m.routerName() != null ? routerId : source.getHostAddress(),
        h.toBuilder().nodeId(id).build(), heartbeatBind,
        new Multicast(m.group(), m.interfaceName(), source, m.routerName()), virtualAddresses, announceRefresh,
        virtualServers, warnings);
  }

  /**
   * The interfaces of {@code track_interface} (with the instance's own): the VIP owner watches
   * them too, also those that carry no VIP, so that their state reaches the election.
   */
  public SortedSet<String> trackedInterfaces() {
    SortedSet<String> names = new TreeSet<>();
    if (heartbeat == null) {
      return names;
    }
    for (Tracked t : heartbeat.trackWeights().keySet()) {
      if (t.kind() == Tracked.Kind.INTERFACE) {
        names.add(t.name());
      }
    }
    return names;
  }
}
