package io.ha4j.heartbeat.vrrp;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.transport.Datagram;
import io.ha4j.heartbeat.Advertisement;
import io.ha4j.heartbeat.AdvertisementCodec;
import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.WireFormat;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * VRRPv3 (RFC 5798) as the wire format of a {@link io.ha4j.heartbeat.VrrpElection}, so that
 * an ha4j member takes part in a keepalived VRRP group.
 *
 * <p>Mapping: the group id is the VRID; the sender's primary address (the IP source) is its
 * identity, so a received advertisement's {@link Advertisement#nodeId()} is the source address
 * text, and ties go to the higher primary address (section 6.4.3). There is no incarnation or
 * sequence, so no replay window. The interval travels in centiseconds, so the configured interval
 * must be a whole number of centiseconds, at most 40.95 s; a backup adopts the master's interval
 * from its advertisements (section 6.4.2, done by the election). Only masters send advertisements
 * in VRRP: ha4j's step-down notice (state BACKUP) is not sent; priority 0 (graceful stop, FAULT)
 * is. The configured virtual addresses of the primary address's family are advertised in address
 * order.
 *
 * <p>Received datagrams are whole IP packets, as {@link #ipPacket} builds them and as the raw
 * socket transport ({@code io.ha4j.heartbeat.vrrp.linux.VrrpTransport}) delivers them: the
 * checksum covers the pseudo-header with the packet's own source and destination, and the TTL /
 * hop limit in the header must be 255 (section 7.1).
 *
 * <p>VRRPv3 has no authentication: see the {@linkplain io.ha4j.heartbeat.vrrp package
 * documentation}.
 */
public final class VrrpWireFormat implements WireFormat {

  /** Longest interval the 12-bit centisecond field carries. */
  public static final Duration MAX_INTERVAL = Duration.ofMillis(4095 * 10L);

  private final int vrid;
  private final InetAddress primaryAddress;
  private final AddressFamily family;
  private final List<InetAddress> virtualAddresses;
  private final boolean oldUnicastChecksum;
  private final EnumMap<VrrpFormatException.Reason, Long> malformed = new EnumMap<>(VrrpFormatException.Reason.class);

  /**
   * VRRPv3 for virtual router {@code vrid} sent from {@code primaryAddress}, advertising {@code
   * virtualAddresses} (of the primary address's family; for IPv6 the primary address is the
   * interface's link-local address, section 5.1.2.1). With {@code oldUnicastChecksum} unicast
   * advertisements carry, and are accepted with, the checksum of keepalived before 1.3.6 ({@code
   * old_unicast_checksum}).
   */
  public VrrpWireFormat(
      int vrid, InetAddress primaryAddress, Collection<InetAddress> virtualAddresses, boolean oldUnicastChecksum) {
    if (vrid < 1 || vrid > 255) {
      throw new IllegalArgumentException("vrid must be 1..255, was " + vrid);
    }
    this.vrid = vrid;
    this.primaryAddress = Objects.requireNonNull(primaryAddress, "primaryAddress");
    this.family = AddressFamily.of(primaryAddress);
    List<InetAddress> vips = new ArrayList<>(Objects.requireNonNull(virtualAddresses, "virtualAddresses"));
    if (vips.isEmpty() || vips.size() > 255) {
      throw new IllegalArgumentException("virtualAddresses must hold 1..255 addresses, was " + vips.size());
    }
    for (InetAddress a : vips) {
      if (AddressFamily.of(a) != family) {
        throw new IllegalArgumentException("virtual address " + a.getHostAddress() + " is not " + family
            + " like the primary address " + primaryAddress.getHostAddress());
      }
    }
    vips.sort(VrrpWireFormat::compareAddresses);
    this.virtualAddresses = List.copyOf(vips);
    this.oldUnicastChecksum = oldUnicastChecksum;
  }

  /**
   * VRRPv3 for {@code config}: its group id as VRID and its virtual addresses of {@code
   * primaryAddress}'s family. Checks that the advertisement interval fits the centisecond field and
   * that the destinations are of the primary address's family.
   */
  public static VrrpWireFormat of(HeartbeatConfig config, InetAddress primaryAddress, boolean oldUnicastChecksum) {
    Objects.requireNonNull(config, "config");
    centiseconds(config.advertisementInterval());
    AddressFamily f = AddressFamily.of(primaryAddress);
    for (InetSocketAddress d : config.destinations()) {
      if (AddressFamily.of(d.getAddress()) != f) {
        throw new IllegalArgumentException("destination " + d.getAddress().getHostAddress() + " is not " + f
            + " like the primary address " + primaryAddress.getHostAddress() + " (one VRRP router per family)");
      }
    }
    List<InetAddress> vips = new ArrayList<>();
    for (VirtualAddress v : config.virtualAddresses()) {
      if (AddressFamily.of(v.address()) == f) {
        vips.add(v.address());
      }
    }
    return new VrrpWireFormat(config.groupId(), primaryAddress, vips, oldUnicastChecksum);
  }

  /** The node id this format gives the sender {@code address}: its address text. */
  public static NodeId nodeId(InetAddress address) {
    return NodeId.of(plain(address).getHostAddress());
  }

  /** The VRID. */
  public int vrid() {
    return vrid;
  }

  /** The source address of our advertisements, our identity in the group. */
  public InetAddress primaryAddress() {
    return primaryAddress;
  }

  /** The advertised virtual addresses, in address order. */
  public List<InetAddress> virtualAddresses() {
    return virtualAddresses;
  }

  /** Malformed packets per reason since creation (they are also counted by the election). */
  public synchronized Map<VrrpFormatException.Reason, Long> malformed() {
    return Collections.unmodifiableMap(new EnumMap<>(malformed));
  }

  /** The advertisement interval in centiseconds; fails unless it is 10 ms .. 40.95 s in whole centiseconds. */
  public static int centiseconds(Duration interval) {
    long ms = interval.toMillis();
    if (ms < 10 || interval.compareTo(MAX_INTERVAL) > 0 || ms % 10 != 0
        || !interval.equals(Duration.ofMillis(ms))) {
      throw new IllegalArgumentException(
          "advertisementInterval must be whole centiseconds in 10 ms .. 40.95 s for VRRPv3, was " + interval);
    }
    return (int) (ms / 10);
  }

  @Override
  public @Nullable ByteBuffer encode(Advertisement advertisement, InetSocketAddress destination) {
    if (advertisement.state() == Role.BACKUP && advertisement.priority() != 0) {
      return null;
    }
    VrrpAdvertisement v = new VrrpAdvertisement(vrid, advertisement.priority(),
        centiseconds(advertisement.interval()), virtualAddresses);
    return VrrpCodec.encode(v, primaryAddress, plain(destination.getAddress()), oldUnicastChecksum);
  }

  @Override
  public AdvertisementCodec.Decoded decode(Datagram datagram) {
    ByteBuffer p = datagram.payload().slice();
    int len = p.remaining();
    if (len < 1) {
      return malformed(VrrpFormatException.Reason.TRUNCATED);
    }
    int version = (p.get(0) & 0xff) >> 4;
    InetAddress source;
    InetAddress destination;
    int ttl;
    int headerLength;
    if (version == 4) {
      headerLength = (p.get(0) & 0x0f) * 4;
      if (headerLength < 20 || len < headerLength) {
        return malformed(VrrpFormatException.Reason.TRUNCATED);
      }
      if ((p.get(9) & 0xff) != VrrpCodec.IPPROTO_VRRP) {
        return malformed(VrrpFormatException.Reason.BAD_FIELD);
      }
      ttl = p.get(8) & 0xff;
      source = address(p, 12, 4);
      destination = address(p, 16, 4);
    } else if (version == 6) {
      headerLength = 40;
      if (len < headerLength) {
        return malformed(VrrpFormatException.Reason.TRUNCATED);
      }
      if ((p.get(6) & 0xff) != VrrpCodec.IPPROTO_VRRP) {
        return malformed(VrrpFormatException.Reason.BAD_FIELD);
      }
      ttl = p.get(7) & 0xff;
      source = address(p, 8, 16);
      destination = address(p, 24, 16);
    } else {
      return malformed(VrrpFormatException.Reason.BAD_FIELD);
    }
    if (AddressFamily.of(source) != family) {
      return new AdvertisementCodec.Rejected(DropReason.OTHER_GROUP); // IPv4 and IPv6 routers are distinct
    }
    // Section 7.1: a packet that crossed a router is not from this link.
    if (ttl != 255) {
      return new AdvertisementCodec.Rejected(DropReason.BAD_TTL);
    }
    VrrpAdvertisement v;
    try {
      v = VrrpCodec.decode(p.slice(headerLength, len - headerLength), source, destination, oldUnicastChecksum);
    } catch (VrrpFormatException e) {
      return malformed(e.reason());
    }
    if (v.vrid() != vrid) {
      return new AdvertisementCodec.Rejected(DropReason.OTHER_GROUP);
    }
    if (Arrays.equals(source.getAddress(), primaryAddress.getAddress())) {
      return new AdvertisementCodec.Rejected(DropReason.OWN_NODE_ID);
    }
    Advertisement ad = new Advertisement(0, vrid, nodeId(source), v.priority(),
        v.priority() == 0 ? Role.INIT : Role.MASTER, Duration.ofMillis(v.maxAdvertIntervalCentis() * 10L), 0, 0,
        digest(v.addresses()));
    return new AdvertisementCodec.Valid(ad, 0);
  }

  @Override
  public byte[] vipDigest(Collection<VirtualAddress> addresses) {
    return digest(virtualAddresses);
  }

  @Override
  public boolean replayProtected() {
    return false;
  }

  @Override
  public boolean winsTie(NodeId sender, NodeId self) {
    // Section 6.4.3: "the primary IP address of the sender is greater than the local primary IP
    // address". Our identity on the wire is the primary address, whatever the configured node id.
    InetAddress s;
    try {
      s = InetAddress.getByName(sender.value()); // an address literal made by nodeId(): no lookup
    } catch (UnknownHostException e) {
      return false;
    }
    return compareAddresses(s, primaryAddress) > 0;
  }

  /**
   * A VRRP message in an IP packet as the transport delivers it: for IPv4 a 20-byte header as the
   * kernel's raw socket returns it, for IPv6 the 40-byte fixed header that the transport rebuilds
   * from the source, the IPV6_PKTINFO destination and the IPV6_HOPLIMIT.
   */
  public static ByteBuffer ipPacket(InetAddress source, InetAddress destination, int ttl, ByteBuffer message) {
    ByteBuffer m = message.slice();
    boolean v4 = AddressFamily.of(source) == AddressFamily.INET;
    if (AddressFamily.of(destination) != AddressFamily.of(source)) {
      throw new IllegalArgumentException("destination " + destination.getHostAddress() + " is not "
          + AddressFamily.of(source) + " like the source " + source.getHostAddress());
    }
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("ttl must be 0..255, was " + ttl);
    }
    ByteBuffer b = ByteBuffer.allocate((v4 ? 20 : 40) + m.remaining());
    if (v4) {
      b.put((byte) 0x45).put((byte) 0xc0).putShort((short) (20 + m.remaining())).putInt(0)
          .put((byte) ttl).put((byte) VrrpCodec.IPPROTO_VRRP).putShort((short) 0);
    } else {
      b.putInt(0x6c000000).putShort((short) m.remaining()).put((byte) VrrpCodec.IPPROTO_VRRP).put((byte) ttl);
    }
    b.put(source.getAddress()).put(destination.getAddress()).put(m);
    return b.flip();
  }

  private AdvertisementCodec.Rejected malformed(VrrpFormatException.Reason reason) {
    synchronized (this) {
      malformed.merge(reason, 1L, Long::sum);
    }
    return new AdvertisementCodec.Rejected(switch (reason) {
      case BAD_VERSION -> DropReason.UNSUPPORTED_VERSION;
      case BAD_CHECKSUM -> DropReason.BAD_CHECKSUM;
      case TRUNCATED, BAD_TYPE, BAD_LENGTH, BAD_FIELD -> DropReason.MALFORMED;
    });
  }

  /** ha4j's digest over the addresses as host routes: VRRP carries no prefix lengths. */
  private static byte[] digest(Collection<InetAddress> addresses) {
    List<VirtualAddress> hosts = new ArrayList<>();
    for (InetAddress a : addresses) {
      InetAddress p = plain(a);
      hosts.add(VirtualAddress.of(p, p.getAddress().length * 8, "vrrp"));
    }
    return AdvertisementCodec.vipDigest(hosts);
  }

  private static int compareAddresses(InetAddress a, InetAddress b) {
    return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
  }

  /** Without a scope: the pseudo-header and the node id use the bare address. */
  private static InetAddress plain(InetAddress a) {
    if (a instanceof Inet6Address a6 && (a6.getScopeId() != 0 || a6.getScopedInterface() != null)) {
      try {
        return InetAddress.getByAddress(a6.getAddress());
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(e);
      }
    }
    return a;
  }

  private static InetAddress address(ByteBuffer p, int offset, int length) {
    byte[] raw = new byte[length];
    p.get(offset, raw);
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
