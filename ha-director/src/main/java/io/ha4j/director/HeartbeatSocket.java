package io.ha4j.director;

import io.ha4j.api.Scheduler;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.udp.UdpTransport;
import io.ha4j.heartbeat.udp.linux.LinuxUdpTransport;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Opens the heartbeat's datagram transport a director's configuration asks for: unicast from
 * {@code unicast_src_ip} to the peers, or multicast to the group on the instance's interface
 * (keepalived's default without {@code unicast_peer}).
 *
 * @param transport the open transport
 * @param localAddress what it is bound to
 */
record HeartbeatSocket(DatagramTransport transport, InetSocketAddress localAddress) {

  /**
   * Opens the transport of an instance ({@code hb}, bound to {@code bind}; multicast when {@code m}
   * is there), whose timers and receive hand-offs run on {@code scheduler}.
   */
  static HeartbeatSocket open(HeartbeatConfig hb, InetSocketAddress bind, DirectorConfig.@Nullable Multicast m,
      Scheduler scheduler) throws IOException {
    if (m != null) {
      // Plain Java: the native transport is unicast only; arrival is stamped on the receive thread.
      UdpTransport t = UdpTransport.multicast(m.group(), networkInterface(m.interfaceName()), scheduler);
      return new HeartbeatSocket(t, t.localAddress());
    }
    if (LinuxUdpTransport.isAvailable()) {
      // The native transport stamps advertisements with the kernel's arrival time, so the
      // master-down timer does not also wait for the receive thread's wake-up; same bytes either way.
      LinuxUdpTransport t = LinuxUdpTransport.unicast(bind, scheduler);
      // A flood from elsewhere is dropped in the kernel, before it wakes the receive thread.
      Set<InetAddress> peers = hb.unicastPeers();
      if (peers != null && !peers.isEmpty() && peers.stream().allMatch(Inet4Address.class::isInstance)) {
        t.receiveOnlyFrom(peers);
      }
      return new HeartbeatSocket(t, t.localAddress());
    }
    UdpTransport t = UdpTransport.unicast(bind, scheduler);
    return new HeartbeatSocket(t, t.localAddress());
  }

  /**
   * The address that names this node in a multicast instance without {@code mcast_src_ip}: the
   * interface's first address of the group's family, a global one before a link-local one (what
   * the kernel sends from; keepalived's primary address).
   */
  static InetAddress interfaceAddress(DirectorConfig.Multicast m) throws IOException {
    boolean v6 = m.group().getAddress() instanceof Inet6Address;
    @Nullable InetAddress linkLocal = null;
    List<InetAddress> all = Collections.list(networkInterface(m.interfaceName()).getInetAddresses());
    for (InetAddress a : all) {
      if ((a instanceof Inet6Address) == v6) {
        if (!a.isLinkLocalAddress()) {
          return withoutScope(a);
        }
        if (linkLocal == null) {
          linkLocal = a;
        }
      }
    }
    if (linkLocal != null) {
      return withoutScope(linkLocal);
    }
    throw new IOException("interface " + m.interfaceName() + " has no IPv" + (v6 ? 6 : 4)
        + " address to name this node in the multicast heartbeat (give mcast_src_ip)");
  }

  /** The node id holds the address's text: without Java's %scope suffix. */
  private static InetAddress withoutScope(InetAddress a) throws IOException {
    return InetAddress.getByAddress(a.getAddress());
  }

  private static NetworkInterface networkInterface(String name) throws IOException {
    try {
      NetworkInterface nif = NetworkInterface.getByName(name);
      if (nif == null) {
        throw new IOException("no interface " + name + " for the multicast heartbeat");
      }
      return nif;
    } catch (SocketException e) {
      throw new IOException("cannot look up interface " + name + ": " + e.getMessage(), e);
    }
  }
}
