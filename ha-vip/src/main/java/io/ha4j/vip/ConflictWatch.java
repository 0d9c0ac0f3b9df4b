package io.ha4j.vip;

import io.ha4j.api.Clock;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.vip.codec.ArpFrame;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.MalformedFrameException;
import io.ha4j.vip.codec.NeighborAdvertisementFrame;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Hears other hosts claim the VIPs this owner holds: an ARP packet whose sender address, or a
 * neighbour advertisement whose target, is an owned VIP, on the VIP's interface, with a hardware
 * address other than the interface's, is reported as {@link AddressEvent.AddressConflict}. That is
 * what a split brain looks like from one master when the election's traffic is blocked and ARP is
 * not: the other master's gratuitous ARP for the same address.
 *
 * <p>Frames are decoded on the kernel's receive thread; a frame that does not decode is counted
 * and dropped. A claimant that floods costs a counter per frame, and at most one event per VIP
 * every {@link #EVENT_GAP_NANOS}: the event asks the election to probe its peers, which one
 * event does for a while.
 */
final class ConflictWatch implements AddressKernel.FrameSink {

  /** The least time between two events for one VIP. */
  static final long EVENT_GAP_NANOS = 100_000_000L;

  private static final int ETHERTYPE_OFFSET = 12;
  private static final int IPV6_PAYLOAD_LENGTH_OFFSET = 14 + 4;
  /** ICMPv6 type, code, checksum, flags and reserved, target: a neighbour advertisement's fixed part. */
  private static final int NA_WITHOUT_OPTIONS = 24;

  private final Logger log;
  private final Object lock;
  private final AddressTable table;
  private final Interfaces interfaces;
  private final Clock clock;
  private final Consumer<AddressEvent> report;
  private final AtomicLong conflicts = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  // Guarded by lock.
  private final Map<VirtualAddress, Long> lastEventNanos = new HashMap<>();

  /** A claim heard: {@code address} is at {@code mac}. */
  private record Claim(InetAddress address, MacAddress mac) {}

  /** Reports conflicts through {@code report} (which hands them to the listeners on the scheduler). */
  ConflictWatch(Object lock, AddressTable table, Interfaces interfaces, Clock clock, Consumer<AddressEvent> report,
      Logger log) {
    this.lock = lock;
    this.table = table;
    this.interfaces = interfaces;
    this.clock = clock;
    this.report = report;
    this.log = log;
  }

  /** Claims of an owned VIP by another hardware address heard so far. */
  long conflicts() {
    return conflicts.get();
  }

  /** Frames heard that did not decode as ARP or a neighbour advertisement. */
  long malformed() {
    return malformed.get();
  }

  /** A frame heard on interface {@code index}, on the kernel's receive thread. */
  @Override
  public void frame(int index, ByteBuffer frame) {
    Claim claim;
    try {
      claim = decode(frame);
    } catch (MalformedFrameException e) {
      malformed.incrementAndGet();
      log.debug("dropped a malformed frame on interface {}: {}", index, e.getMessage());
      return;
    }
    if (claim == null) {
      return;
    }
    AddressEvent.AddressConflict event;
    synchronized (lock) {
      event = conflictWith(index, claim);
    }
    if (event != null) {
      report.accept(event);
    }
  }

  /** The claim a frame makes, or null for one that claims nothing (an ARP probe's sender 0.0.0.0). */
  private static @Nullable Claim decode(ByteBuffer frame) {
    if (frame.remaining() < ETHERTYPE_OFFSET + 2) {
      throw new MalformedFrameException("a frame of " + frame.remaining() + " bytes has no Ethernet header");
    }
    int p = frame.position() + ETHERTYPE_OFFSET;
    int ethertype = ((frame.get(p) & 0xff) << 8) | (frame.get(p + 1) & 0xff);
    if (ethertype == ArpFrame.ETH_P_ARP) {
      ArpFrame arp = ArpFrame.decode(frame);
      return arp.senderAddress().isAnyLocalAddress() ? null : new Claim(arp.senderAddress(), arp.senderHardware());
    }
    if (ethertype == NeighborAdvertisementFrame.ETH_P_IPV6) {
      if (frame.remaining() >= IPV6_PAYLOAD_LENGTH_OFFSET + 2
          && ((frame.get(frame.position() + IPV6_PAYLOAD_LENGTH_OFFSET) & 0xff) << 8
              | (frame.get(frame.position() + IPV6_PAYLOAD_LENGTH_OFFSET + 1) & 0xff)) == NA_WITHOUT_OPTIONS) {
        // No target link-layer address: nothing for a neighbour to learn (RFC 4861 7.2.5). Linux
        // answers every unicast solicitation (its neighbour-reachability probes) like that.
        return null;
      }
      NeighborAdvertisementFrame na = NeighborAdvertisementFrame.decode(frame);
      return new Claim(na.target(), na.targetHardware());
    }
    throw new MalformedFrameException("ethertype 0x" + Integer.toHexString(ethertype) + " is neither ARP nor IPv6");
  }

  /** The event for a claim of an owned VIP on its interface by another hardware address, or null. Lock held. */
  private AddressEvent.@Nullable AddressConflict conflictWith(int index, Claim claim) {
    if (table.isClosed()) {
      return null;
    }
    for (VirtualAddress v : table.owned()) {
      if (!v.address().equals(claim.address())) {
        continue;
      }
      Link link = interfaces.known(v.interfaceName());
      if (link == null || link.index() != index || link.mac() == null || claim.mac().equals(link.mac())) {
        continue;
      }
      long n = conflicts.incrementAndGet();
      log.debug("{} claimed by {} on interface {} ({} claims so far)", v, claim.mac(), index, n);
      long now = clock.nanoTime();
      Long last = lastEventNanos.get(v);
      if (last != null && now - last < EVENT_GAP_NANOS) {
        return null;
      }
      lastEventNanos.put(v, now);
      return new AddressEvent.AddressConflict(v, claim.mac().toString());
    }
    return null;
  }
}
