package io.ha4j.vip;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressException.Reason;
import io.ha4j.vip.codec.ArpFrame;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.NeighborAdvertisementFrame;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Tells the neighbours where a VIP is: gratuitous ARP for IPv4, unsolicited neighbour
 * advertisements for IPv6, in the bursts, repeat and refresh of an {@link AnnouncementPolicy},
 * timed by the scheduler. The frames of a take-over are encoded ahead by {@link #prepare}.
 *
 * <p>The first frame leaves on the caller's thread; the rest from scheduler tasks, which a new
 * announcement or a removal of the VIP cancels. Thread-safe through the owner's lock.
 */
final class Announcer {

  // The operators' category for everything the owner logs.
  private final Logger log;

  private final Object lock;
  private final AddressTable table;
  private final Interfaces interfaces;
  private final AddressKernel kernel;
  private final Scheduler scheduler;
  private final AnnouncementPolicy policy;
  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();

  // Guarded by lock.
  private final Map<VirtualAddress, List<Cancellable>> announcements = new HashMap<>();
  private final Map<VirtualAddress, PreparedFrame> prepared = new HashMap<>();

  /** A frame encoded ahead for the link it was made for. */
  private record PreparedFrame(Link link, byte[] frame) {}

  Announcer(Object lock, AddressTable table, Interfaces interfaces, AddressKernel kernel, Scheduler scheduler,
      AnnouncementPolicy policy, Logger log) {
    this.log = log;
    this.lock = lock;
    this.table = table;
    this.interfaces = interfaces;
    this.kernel = kernel;
    this.scheduler = scheduler;
    this.policy = policy;
  }

  long framesSent() {
    return framesSent.get();
  }

  long sendFailures() {
    return sendFailures.get();
  }

  /** Encodes the frame that announces {@code address} on {@code link}, if it has an Ethernet address. Lock held. */
  void prepare(VirtualAddress address, Link link) {
    MacAddress mac = link.mac();
    if (mac != null) {
      prepared.put(address, new PreparedFrame(link, frame(address, mac)));
    }
  }

  /**
   * Announces {@code address} (a managed VIP) afresh: the first frame now, the rest of the
   * policy's bursts and refreshes later, in place of those of an earlier announcement.
   *
   * @throws AddressException if the interface has no Ethernet address or the first frame fails
   */
  void announce(VirtualAddress address) {
    Link link;
    @Nullable PreparedFrame ready;
    synchronized (lock) {
      table.requireOpen();
      link = interfaces.link(address.interfaceName());
      cancel(address);
      ready = prepared.get(address);
    }
    MacAddress mac = link.mac();
    if (mac == null) {
      throw new AddressException(Reason.INVALID, 0,
          "interface " + address.interfaceName() + " has no Ethernet address to announce " + address);
    }
    byte[] frame = ready != null && ready.link().sameHardware(link) ? ready.frame() : frame(address, mac);
    // The first frame goes out on the caller's thread so that a missing CAP_NET_RAW is an error here.
    send(link.index(), frame, address, true);
    List<Cancellable> tasks = new ArrayList<>();
    burst(link.index(), frame, address, policy.count() - 1, policy.interval(), policy.interval(), tasks);
    if (!policy.repeatDelay().isZero()) {
      burst(link.index(), frame, address, policy.count(), policy.repeatDelay(), policy.interval(), tasks);
    }
    if (!policy.refreshPeriod().isZero()) {
      Duration first = policy.refreshPeriod();
      tasks.add(scheduler.scheduleAtFixedRate(first, policy.refreshPeriod(), () -> {
        for (int i = 0; i < policy.refreshCount(); i++) {
          send(link.index(), frame, address, false);
        }
      }));
    }
    synchronized (lock) {
      announcements.put(address, tasks);
    }
    // Logged by the next task, as the owner's "added" line: at a take-over the election's first
    // advertisement is queued already and should not wait for a log line.
    scheduler.execute(announcingLine(address, mac));
  }

  private Runnable announcingLine(VirtualAddress address, MacAddress mac) {
    return () -> log.info("announcing {} at {} ({} frames now, policy {})", address, mac, policy.count(), policy);
  }

  private void burst(int index, byte[] frame, VirtualAddress address, int frames, Duration start, Duration interval,
      List<Cancellable> tasks) {
    if (frames <= 0) {
      return;
    }
    if (interval.isZero()) {
      if (start.isZero()) {
        for (int i = 0; i < frames; i++) {
          send(index, frame, address, true);
        }
      } else {
        tasks.add(scheduler.schedule(start, () -> {
          for (int i = 0; i < frames; i++) {
            send(index, frame, address, false);
          }
        }));
      }
      return;
    }
    for (int i = 0; i < frames; i++) {
      tasks.add(scheduler.schedule(start.plus(interval.multipliedBy(i)), () -> send(index, frame, address, false)));
    }
  }

  private void send(int index, byte[] frame, VirtualAddress address, boolean rethrow) {
    try {
      kernel.sendFrame(index, frame);
      framesSent.incrementAndGet();
      log.trace("sent announcement of {}", address);
    } catch (AddressException e) {
      sendFailures.incrementAndGet();
      if (rethrow) {
        throw e;
      }
      log.warn("announcing {} failed: {}", address, e.getMessage());
    }
  }

  private byte[] frame(VirtualAddress address, MacAddress mac) {
    InetAddress a = address.address();
    if (a instanceof Inet4Address v4) {
      return ArpFrame.gratuitous(policy.arpKind(), mac, v4).toBytes();
    }
    return NeighborAdvertisementFrame.unsolicited(mac, (Inet6Address) a, policy.router()).toBytes();
  }

  /** Stops the pending frames of {@code address}. Lock held. */
  void cancel(VirtualAddress address) {
    List<Cancellable> tasks = announcements.remove(address);
    if (tasks != null) {
      tasks.forEach(Cancellable::cancel);
    }
  }

  /** Stops every pending frame. Lock held. */
  void cancelAll() {
    announcements.values().forEach(ts -> ts.forEach(Cancellable::cancel));
    announcements.clear();
  }
}
