package io.ha4j.vip;

import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressException.Reason;
import io.ha4j.api.address.AddressOwner;
import io.ha4j.netlink.NetlinkConnection;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the configured virtual IPs on one host through an {@link AddressKernel}: adds and removes
 * them over rtnetlink (idempotently: EEXIST on add and EADDRNOTAVAIL on remove are success),
 * announces them with gratuitous ARP / unsolicited neighbour advertisements, and watches link and
 * address notifications.
 *
 * <p><b>Watching.</b> A managed address removed by someone else is reported as {@link
 * AddressEvent.AddressRemoved} and, while we own it and {@link Builder#restoreRemoved} is on (the
 * default), added back and announced again. A watched interface (that of a managed VIP, or one
 * named by {@link Builder#watchInterfaces}) that loses carrier, goes down or is deleted is
 * reported as {@link AddressEvent.LinkDown} (a FAULT trigger for the election); {@link
 * AddressEvent.LinkUp} when it is usable again, also after a re-creation. Listeners run on the {@link Scheduler}.
 *
 * <p><b>Conflicts.</b> Another host that claims an owned VIP on its interface (its ARP or neighbour
 * advertisement gives the VIP another hardware address) is reported as {@link
 * AddressEvent.AddressConflict}, at most once per VIP every 100 ms, and counted ({@link
 * #conflictsHeard()}); frames that do not decode are counted ({@link #malformedFrames()}) and
 * dropped. The owner does not fight over the address: the election decides who keeps it.
 *
 * <p><b>Stale addresses.</b> A VIP left behind by a crashed earlier run is not removed
 * automatically: the member calls {@link #releaseStale()} before it decides to be master (keepalived
 * removes them at start-up in the same way). An explicit call keeps construction free of side
 * effects and lets a caller that adopts a running master skip it.
 *
 * <p><b>Safety.</b> Only addresses in the managed set are ever added or removed; anything else fails
 * with {@link Reason#NOT_MANAGED}.
 */
public final class VipOwner implements AddressOwner {

  private final Logger log;
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

  private final AddressKernel kernel;
  private final Scheduler scheduler;
  // One lock for the table, the interfaces, the pending announcements and the subscription; no
  // frame is sent and no listener called with it held.
  private final Object lock = new Object();
  private final AddressTable table;
  private final Interfaces interfaces;
  private final Announcer announcer;
  private final KernelWatcher watcher;
  private final ConflictWatch conflicts;
  private @Nullable Cancellable claims; // guarded by lock
  private @Nullable Thread shutdownHook; // guarded by lock

  private VipOwner(Builder b) {
    this.log = b.log;
    this.kernel = b.kernel;
    this.scheduler = b.scheduler;
    NetlinkConnection route = new NetlinkConnection(b.kernel.routeSocket(), b.scheduler.clock(), REPLY_TIMEOUT);
    this.interfaces = new Interfaces(route);
    this.table = new AddressTable(route, interfaces, b.noPrefixRoute, b.managed, log);
    this.announcer = new Announcer(lock, table, interfaces, b.kernel, b.scheduler, b.policy, log);
    this.watcher = new KernelWatcher(lock, table, interfaces, announcer, b.scheduler, b.restoreRemoved, b.alsoWatched, log);
    this.conflicts = new ConflictWatch(lock, table, interfaces, b.scheduler.clock(), watcher::fireLater, log);
  }

  /** Starts building an owner over {@code kernel}, timed by {@code scheduler}. */
  public static Builder builder(AddressKernel kernel, Scheduler scheduler) {
    return new Builder(kernel, scheduler);
  }

  /** Settings of a {@link VipOwner}. */
  public static final class Builder {
    private final AddressKernel kernel;
    private final Scheduler scheduler;
    private final Set<VirtualAddress> managed = new LinkedHashSet<>();
    private final Set<String> alsoWatched = new LinkedHashSet<>();
    private AnnouncementPolicy policy = AnnouncementPolicy.KEEPALIVED;
    private boolean restoreRemoved = true;
    private boolean noPrefixRoute;
    private boolean releaseOnShutdown;
    private Logger log = LoggerFactory.getLogger(VipOwner.class);

    private Builder(AddressKernel kernel, Scheduler scheduler) {
      this.kernel = Objects.requireNonNull(kernel, "kernel");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Adds VIPs to the managed set: the only addresses this owner will ever add or remove. */
    public Builder manage(VirtualAddress... addresses) {
      for (VirtualAddress a : addresses) {
        managed.add(Objects.requireNonNull(a, "address"));
      }
      return this;
    }

    /**
     * Also reports {@link AddressEvent.LinkDown} and {@link AddressEvent.LinkUp} for interfaces that
     * carry no managed VIP (keepalived's {@code track_interface} names any interface); the
     * interfaces of the managed VIPs are always watched.
     */
    public Builder watchInterfaces(String... names) {
      for (String n : names) {
        alsoWatched.add(Objects.requireNonNull(n, "interface name"));
      }
      return this;
    }

    /** How VIPs are announced (default {@link AnnouncementPolicy#KEEPALIVED}). */
    public Builder announcement(AnnouncementPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Put back an owned VIP that someone else removed (default on). */
    public Builder restoreRemoved(boolean on) {
      this.restoreRemoved = on;
      return this;
    }

    /** Add VIPs with {@code noprefixroute}, so that no prefix route comes and goes with them (default off). */
    public Builder noPrefixRoute(boolean on) {
      this.noPrefixRoute = on;
      return this;
    }

    /** Remove owned VIPs in a JVM shutdown hook too, not only in {@link VipOwner#close()} (default off). */
    public Builder releaseOnShutdown(boolean on) {
      this.releaseOnShutdown = on;
      return this;
    }

    /**
     * Where the owner writes its log lines: the logger of {@code io.ha4j.vip.VipOwner} by default.
     * A throwaway owner (a warm-up) passes {@code NOPLogger.NOP_LOGGER}.
     */
    public Builder logger(Logger logger) {
      this.log = Objects.requireNonNull(logger, "logger");
      return this;
    }

    /** Builds the owner and subscribes to the kernel's notifications. */
    public VipOwner build() {
      VipOwner owner = new VipOwner(this);
      owner.start(releaseOnShutdown);
      return owner;
    }
  }

  private void start(boolean hook) {
    watcher.start(kernel);
    Cancellable c;
    try {
      c = kernel.receiveClaims(conflicts);
    } catch (AddressException e) {
      log.warn("cannot hear other hosts claim the VIPs: {}", e.getMessage());
      c = null;
    }
    Thread t = null;
    if (hook) {
      t = new Thread(this::releaseAll, "ha4j-vip-release");
      Runtime.getRuntime().addShutdownHook(t);
    }
    synchronized (lock) {
      shutdownHook = t;
      claims = c;
    }
  }

  /** The managed VIPs. */
  public Set<VirtualAddress> managed() {
    synchronized (lock) {
      return table.managed();
    }
  }

  /** The VIPs this owner has added and not removed since. */
  public Set<VirtualAddress> owned() {
    synchronized (lock) {
      return table.owned();
    }
  }

  /** Adds {@code address} to the managed set at run time. */
  public void manage(VirtualAddress address) {
    synchronized (lock) {
      table.manage(address);
    }
  }

  /** Frames handed to the kernel so far. */
  public long framesSent() {
    return announcer.framesSent();
  }

  /** Frames that failed to send. */
  public long sendFailures() {
    return announcer.sendFailures();
  }

  /** Claims of an owned VIP by another host's hardware address heard so far (see {@link AddressEvent.AddressConflict}). */
  public long conflictsHeard() {
    return conflicts.conflicts();
  }

  /** ARP or neighbour advertisement frames heard that did not decode and were dropped. */
  public long malformedFrames() {
    return conflicts.malformed();
  }

  /** Notifications that did not decode and were dropped. */
  public long malformedNotifications() {
    return watcher.malformedNotifications();
  }

  @Override
  public void add(VirtualAddress address) {
    requireManaged(address);
    synchronized (lock) {
      table.requireOpen();
      table.addToKernel(address);
      if (table.own(address)) {
        // Logged by the next task: at a take-over the caller announces the address next, and a
        // log line written before the gratuitous ARP delays every client.
        scheduler.execute(addedLine(address));
      }
    }
  }

  /** The INFO line of an added VIP, for a later task. */
  private Runnable addedLine(VirtualAddress address) {
    return () -> log.info("added {}", address);
  }

  @Override
  public void remove(VirtualAddress address) {
    requireManaged(address);
    synchronized (lock) {
      // Forget ownership first so that our own RTM_DELADDR is not taken for someone else's.
      boolean was = table.disown(address);
      announcer.cancel(address);
      table.removeFromKernel(address);
      if (was) {
        log.info("removed {}", address);
      }
    }
  }

  /**
   * Prepares the take-over of every managed VIP without touching any: looks up the interfaces and
   * encodes the RTM_NEWADDR requests and the announcement frames. {@link #add} and {@link
   * #announce} then send the prepared bytes as long as the interface keeps its index and hardware
   * address. An interface that cannot be looked up is skipped; the take-over looks again.
   */
  @Override
  public void prepare() {
    synchronized (lock) {
      table.requireOpen();
      table.prepare().forEach(announcer::prepare);
    }
  }

  @Override
  public List<VirtualAddress> list() {
    synchronized (lock) {
      table.requireOpen();
      return table.present();
    }
  }

  /**
   * Removes managed VIPs that are present but that this owner has not added: leftovers of a crashed
   * earlier run. Call it before deciding to become master.
   *
   * @return the VIPs removed
   */
  public List<VirtualAddress> releaseStale() {
    synchronized (lock) {
      table.requireOpen();
      return table.releaseStale();
    }
  }

  @Override
  public void announce(VirtualAddress address) {
    requireManaged(address);
    announcer.announce(address);
  }

  /** Looks up the watched interfaces not heard of yet; see {@link AddressOwner#interfacesDown()}. */
  @Override
  public List<String> interfacesDown() {
    return watcher.interfacesDown();
  }

  @Override
  public void watch(Consumer<AddressEvent> listener) {
    watcher.watch(listener);
  }

  private void requireManaged(VirtualAddress address) {
    Objects.requireNonNull(address, "address");
    synchronized (lock) {
      table.requireManaged(address);
    }
  }

  /** Removes every managed VIP that is present (owned or stale), once. */
  private void releaseAll() {
    synchronized (lock) {
      if (table.isClosed()) {
        return;
      }
      table.close();
      watcher.stop();
      if (claims != null) {
        claims.cancel();
      }
      announcer.cancelAll();
      table.releasePresent();
    }
  }

  @Override
  public void close() {
    releaseAll();
    Thread hook;
    synchronized (lock) {
      hook = shutdownHook;
      shutdownHook = null;
    }
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down
      }
    }
    kernel.close(); // closes the route socket too
  }
}
