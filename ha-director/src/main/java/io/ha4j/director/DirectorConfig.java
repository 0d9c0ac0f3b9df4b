package io.ha4j.director;

import io.ha4j.api.VirtualAddress;
import io.ha4j.api.election.Tracked;
import io.ha4j.heartbeat.HeartbeatConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A director's configuration as read from its file (see the package documentation for the
 * format).
 *
 * @param routerId {@code global_defs { router_id }}, or {@code unicast_src_ip}'s address without
 *     one; the heartbeat's node id is {@code router_id@unicast_src_ip} (copied configurations still
 *     differ), see {@link HeartbeatConfig#nodeId()}
 * @param heartbeat the election settings of the {@code vrrp_instance}
 * @param heartbeatBind where the heartbeat socket is bound: {@code unicast_src_ip} and the port
 * @param virtualAddresses the {@code virtual_ipaddress} block
 * @param announceRefresh {@code garp_master_refresh}, or null for none
 * @param virtualServers the {@code virtual_server} blocks in file order
 * @param warnings keywords read but ignored, each as {@code file:line:column: text}
 */
public record DirectorConfig(
    String routerId,
    HeartbeatConfig heartbeat,
    InetSocketAddress heartbeatBind,
    List<VirtualAddress> virtualAddresses,
    @Nullable Duration announceRefresh,
    List<VirtualServerConfig> virtualServers,
    List<String> warnings) {

  /** The UDP port of ha4j's heartbeat unless {@code ha4j_port} says otherwise. */
  public static final int DEFAULT_PORT = 5405;

  public DirectorConfig {
    Objects.requireNonNull(routerId, "routerId");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(heartbeatBind, "heartbeatBind");
    virtualAddresses = List.copyOf(virtualAddresses);
    virtualServers = List.copyOf(virtualServers);
    warnings = List.copyOf(warnings);
  }

  /**
   * The interfaces of {@code track_interface} (with the instance's own): the VIP owner watches
   * them too, also those that carry no VIP, so that their state reaches the election.
   */
  public SortedSet<String> trackedInterfaces() {
    SortedSet<String> names = new TreeSet<>();
    for (Tracked t : heartbeat.trackWeights().keySet()) {
      if (t.kind() == Tracked.Kind.INTERFACE) {
        names.add(t.name());
      }
    }
    return names;
  }
}
