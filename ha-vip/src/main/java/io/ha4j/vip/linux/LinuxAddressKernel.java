package io.ha4j.vip.linux;

import io.ha4j.api.Cancellable;
import io.ha4j.api.address.AddressException;
import io.ha4j.linux.Errno;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkSocket;
import io.ha4j.netlink.NetlinkTransport;
import io.ha4j.vip.AddressKernel;
import io.ha4j.vip.codec.Rtnetlink;
import io.ha4j.netlink.NetworkNamespace;
import io.ha4j.vip.linux.internal.ClaimLoop;
import io.ha4j.vip.linux.internal.ClaimSocket;
import io.ha4j.vip.linux.internal.NotificationLoop;
import io.ha4j.vip.linux.internal.PacketSocket;
import io.ha4j.vip.linux.internal.RouteMonitorSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux kernel through JNA: a NETLINK_ROUTE request socket (the netlink core's {@link
 * NetlinkSocket}), a receive-only rtnetlink notification socket, and a send-only {@code AF_PACKET}
 * socket for gratuitous ARP and neighbour advertisements, and two receive-only
 * {@code AF_PACKET} sockets that hear other hosts' ARP and neighbour advertisements. Needs CAP_NET_ADMIN (addresses) and
 * CAP_NET_RAW (frames); see {@link LinuxVip#unavailabilityCause()}.
 *
 * <p>{@link #open(String)} opens every socket inside another network namespace (a short-lived
 * thread enters it with {@code setns}); the JVM itself stays where it is.
 */
public final class LinuxAddressKernel implements AddressKernel {

  private static final Logger LOG = LoggerFactory.getLogger(LinuxAddressKernel.class);
  private static final int GROUPS =
      Rtnetlink.RTMGRP_LINK | Rtnetlink.RTMGRP_IPV4_IFADDR | Rtnetlink.RTMGRP_IPV6_IFADDR;
  /** How often the notification thread looks at its stop flag. */
  private static final int POLL_MILLIS = 200;

  private final @Nullable String namespacePath;
  private final NetlinkSocket route;
  private final PacketSocket packets;
  private final Object lock = new Object();
  private @Nullable NotificationLoop monitor;
  private final List<ClaimLoop> claimLoops = new ArrayList<>(); // guarded by lock

  private LinuxAddressKernel(@Nullable String namespacePath, NetlinkSocket route, PacketSocket packets) {
    this.namespacePath = namespacePath;
    this.route = route;
    this.packets = packets;
  }

  /** Sockets in this process's network namespace. */
  public static LinuxAddressKernel open() {
    LinuxVip.ensureAvailability();
    NetlinkSocket route = openRoute(null);
    try {
      return new LinuxAddressKernel(null, route, PacketSocket.open());
    } catch (RuntimeException e) {
      route.close();
      throw e;
    }
  }

  /**
   * Sockets in network namespace {@code netns}: a name under /run/netns (as {@code ip netns add}
   * makes) or an absolute path such as /proc/PID/ns/net.
   */
  public static LinuxAddressKernel open(String netns) {
    Objects.requireNonNull(netns, "netns");
    LinuxVip.ensureAvailability();
    String path = NetworkNamespace.path(netns);
    NetlinkSocket route = openRoute(path);
    try {
      return new LinuxAddressKernel(path, route, PacketSocket.openIn(path));
    } catch (RuntimeException e) {
      route.close();
      throw e;
    }
  }

  private static NetlinkSocket openRoute(@Nullable String path) {
    try {
      return path == null ? NetlinkSocket.open(Netlink.PROTOCOL_ROUTE) : NetlinkSocket.open(Netlink.PROTOCOL_ROUTE, path);
    } catch (NetlinkException e) {
      AddressException.Reason reason = Errno.EPERM.is(e.errno()) || Errno.EACCES.is(e.errno())
          ? AddressException.Reason.NOT_PERMITTED : AddressException.Reason.OTHER;
      throw new AddressException(reason, e.errno(), "opening a NETLINK_ROUTE socket failed: " + e.getMessage(), e);
    }
  }

  @Override
  public NetlinkTransport routeSocket() {
    return route;
  }

  @Override
  public Cancellable subscribe(Consumer<NetlinkMessage> sink, Runnable lost) {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(lost, "lost");
    NotificationLoop loop = new NotificationLoop(openMonitor(), this::openMonitor, sink, lost, POLL_MILLIS);
    synchronized (lock) {
      monitor = loop;
    }
    start(loop, "ha4j-vip-rtnetlink");
    return loop;
  }

  private RouteMonitorSocket openMonitor() {
    RouteMonitorSocket socket = namespacePath == null
        ? RouteMonitorSocket.open(GROUPS, POLL_MILLIS)
        : RouteMonitorSocket.openIn(namespacePath, GROUPS, POLL_MILLIS);
    try {
      // Our own changes are not news, and their wake-up would land in the middle of a take-over.
      socket.ignoreSender(route.portId());
    } catch (AddressException e) {
      LOG.debug("hearing our own address changes too: {}", e.getMessage());
    }
    return socket;
  }

  /** Two sockets (ARP, neighbour advertisements), each with a thread of its own. */
  @Override
  public Cancellable receiveClaims(FrameSink sink) {
    Objects.requireNonNull(sink, "sink");
    ClaimSocket arp = openClaims(ClaimSocket.Kind.ARP);
    ClaimSocket na;
    try {
      na = openClaims(ClaimSocket.Kind.NEIGHBOR_ADVERTISEMENT);
    } catch (RuntimeException e) {
      arp.close();
      throw e;
    }
    ClaimLoop arpLoop = new ClaimLoop(arp, sink);
    ClaimLoop naLoop = new ClaimLoop(na, sink);
    synchronized (lock) {
      claimLoops.add(arpLoop);
      claimLoops.add(naLoop);
    }
    start(arpLoop, "ha4j-vip-arp");
    start(naLoop, "ha4j-vip-na");
    return () -> {
      arpLoop.cancel();
      naLoop.cancel();
    };
  }

  private ClaimSocket openClaims(ClaimSocket.Kind kind) {
    return namespacePath == null ? ClaimSocket.open(kind, POLL_MILLIS) : ClaimSocket.openIn(namespacePath, kind, POLL_MILLIS);
  }

  private static void start(Runnable loop, String name) {
    Thread t = new Thread(loop, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void sendFrame(int index, byte[] frame) {
    packets.send(index, frame);
  }

  @Override
  public void close() {
    NotificationLoop m;
    synchronized (lock) {
      m = monitor;
      monitor = null;
    }
    if (m != null) {
      m.cancel();
    }
    List<ClaimLoop> loops;
    synchronized (lock) {
      loops = List.copyOf(claimLoops);
      claimLoops.clear();
    }
    loops.forEach(ClaimLoop::cancel);
    packets.close();
    route.close();
  }
}
