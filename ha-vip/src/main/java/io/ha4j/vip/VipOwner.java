package io.ha4j.vip;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.Cancellable;
import io.ha4j.api.Scheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.api.address.AddressException;
import io.ha4j.api.address.AddressException.Reason;
import io.ha4j.api.address.AddressOwner;
import io.ha4j.api.internal.RehearsalScheduler;
import io.ha4j.vip.codec.AddressMessage;
import io.ha4j.vip.codec.ArpFrame;
import io.ha4j.vip.codec.LinkMessage;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.NeighborAdvertisementFrame;
import io.ha4j.vip.codec.Rtnetlink;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkTransport;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * Owns the configured virtual IPs on one host through an {@link AddressKernel}: adds and removes
 * them over rtnetlink (idempotently: EEXIST on add and EADDRNOTAVAIL on remove are success),
 * announces them with gratuitous ARP / unsolicited neighbour advertisements, and watches link and
 * address notifications.
 *
 * <p><b>Watching.</b> A managed address removed by someone else is reported as {@link
 * AddressEvent.AddressRemoved} and, while we own it and {@link Builder#restoreRemoved} is on (the
 * default), added back and announced again. A managed interface that loses carrier or goes down is
 * reported as {@link AddressEvent.LinkDown} (a FAULT trigger for the election); {@link
 * AddressEvent.LinkUp} when it is usable again. Listeners run on the {@link Scheduler}.
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

  private static final Logger LOG = LoggerFactory.getLogger(VipOwner.class);
  /**
   * Rounds of the take-over rehearsal, once per JVM: everything gets linked and loaded, and what
   * runs several times a round compiled. (At a JVM's start the JIT raises its thresholds with its
   * queue; 1,500 rounds, which compiled the rest too, gained nothing measurable in the fail-over
   * bench and took longer.)
   */
  private static final int REHEARSAL_ROUNDS = 300;
  private static final AtomicBoolean REHEARSED = new AtomicBoolean();

  private static final int EPERM = 1;
  private static final int ENODEV = 19;
  private static final int EEXIST = 17;
  private static final int EACCES = 13;
  private static final int EINVAL = 22;
  private static final int EADDRNOTAVAIL = 99;
  private static final int ADD_FLAGS = Netlink.F_EXCL | Netlink.F_CREATE;
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

  private final AddressKernel kernel;
  private final NetlinkConnection route;
  private final Scheduler scheduler;
  private final AnnouncementPolicy policy;
  private final boolean restoreRemoved;
  private final boolean noPrefixRoute;
  private final Set<VirtualAddress> managed;
  private final List<Consumer<AddressEvent>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong malformedNotifications = new AtomicLong();

  // Guarded by this.
  private final Set<VirtualAddress> owned = new LinkedHashSet<>();
  private final Map<String, Link> links = new HashMap<>();
  private final Map<VirtualAddress, List<Cancellable>> announcements = new HashMap<>();
  private final Map<VirtualAddress, Prepared> prepared = new HashMap<>();
  private @Nullable Cancellable subscription;
  private @Nullable Thread shutdownHook;
  private boolean closed;
  /** A rehearsal's twin logs nothing and rehearses nothing itself. */
  private final boolean twin;
  private final Logger log;

  /** What we know of an interface. */
  private record Link(int index, @Nullable MacAddress mac, boolean usable) {}

  /**
   * A take-over's bytes, encoded ahead by {@link #prepare()} for the interface index and hardware
   * address they were made for: used only while the interface still has both.
   */
  private record Prepared(int index, @Nullable MacAddress mac, MessageBuilder addRequest, byte @Nullable [] frame) {
    boolean fits(Link link) {
      return link.index() == index && Objects.equals(link.mac(), mac);
    }
  }

  private VipOwner(Builder b, boolean twin) {
    this.twin = twin;
    this.log = twin ? NOPLogger.NOP_LOGGER : LOG;
    this.kernel = b.kernel;
    this.route = new NetlinkConnection(b.kernel.routeSocket(), b.scheduler.clock(), REPLY_TIMEOUT);
    this.scheduler = b.scheduler;
    this.policy = b.policy;
    this.restoreRemoved = b.restoreRemoved;
    this.noPrefixRoute = b.noPrefixRoute;
    this.managed = new LinkedHashSet<>(b.managed);
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
    private AnnouncementPolicy policy = AnnouncementPolicy.KEEPALIVED;
    private boolean restoreRemoved = true;
    private boolean noPrefixRoute;
    private boolean releaseOnShutdown;

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

    /** Builds the owner and subscribes to the kernel's notifications. */
    public VipOwner build() {
      VipOwner owner = new VipOwner(this, false);
      owner.start(releaseOnShutdown);
      return owner;
    }
  }

  private void start(boolean hook) {
    Cancellable s = kernel.subscribe(this::onNotification, () -> scheduler.execute(this::resynchronise));
    Thread t = null;
    if (hook) {
      t = new Thread(this::releaseAll, "ha4j-vip-release");
      Runtime.getRuntime().addShutdownHook(t);
    }
    synchronized (this) {
      subscription = s;
      shutdownHook = t;
    }
  }

  /** The managed VIPs. */
  public synchronized Set<VirtualAddress> managed() {
    return Set.copyOf(managed);
  }

  /** The VIPs this owner has added and not removed since. */
  public synchronized Set<VirtualAddress> owned() {
    return Set.copyOf(owned);
  }

  /** Adds {@code address} to the managed set at run time. */
  public synchronized void manage(VirtualAddress address) {
    managed.add(Objects.requireNonNull(address, "address"));
  }

  /** Frames handed to the kernel so far. */
  public long framesSent() {
    return framesSent.get();
  }

  /** Frames that failed to send. */
  public long sendFailures() {
    return sendFailures.get();
  }

  /** Notifications that did not decode and were dropped. */
  public long malformedNotifications() {
    return malformedNotifications.get();
  }

  @Override
  public void add(VirtualAddress address) {
    requireManaged(address);
    synchronized (this) {
      requireOpen();
      addToKernel(address);
      if (owned.add(address)) {
        // Logged by the next task: at a take-over the caller announces the address next, and a
        // log line written before the gratuitous ARP delays every client.
        scheduler.execute(addedLine(address));
      }
    }
  }

  private void addToKernel(VirtualAddress address) {
    Link link = link(address.interfaceName());
    Prepared ready = prepared.get(address);
    MessageBuilder request = ready != null && ready.fits(link) ? ready.addRequest() : addRequest(address, link);
    int errno = exchange(request, "adding ", address);
    if (errno == ENODEV && links.remove(address.interfaceName()) != null) {
      // The interface was re-created under a new index since we looked it up: look again, once.
      prepared.remove(address);
      link = link(address.interfaceName());
      errno = exchange(addRequest(address, link), "adding ", address);
    }
    if (errno != 0 && errno != EEXIST) {
      throw failure(errno, null, "adding " + address);
    }
  }

  @Override
  public void remove(VirtualAddress address) {
    requireManaged(address);
    synchronized (this) {
      // Forget ownership first so that our own RTM_DELADDR is not taken for someone else's.
      boolean was = owned.remove(address);
      cancelAnnouncements(address);
      removeFromKernel(address);
      if (was) {
        log.info("removed {}", address);
      }
    }
  }

  private void removeFromKernel(VirtualAddress address) {
    Link link;
    try {
      link = link(address.interfaceName());
    } catch (AddressException e) {
      if (e.reason() == Reason.NO_SUCH_INTERFACE) {
        return; // the interface is gone, and its addresses with it
      }
      throw e;
    }
    AddressMessage body = AddressMessage.of(address.address(), address.prefixLength(), link.index(), 0, null);
    int errno = exchange(body.toMessage(Rtnetlink.RTM_DELADDR, 0), "removing ", address);
    if (errno == ENODEV) {
      links.remove(address.interfaceName());
      return;
    }
    if (errno != 0 && errno != EADDRNOTAVAIL) {
      throw failure(errno, null, "removing " + address);
    }
  }

  /** The INFO line of an added VIP, for a later task. */
  private Runnable addedLine(VirtualAddress address) {
    return () -> log.info("added {}", address);
  }

  private MessageBuilder addRequest(VirtualAddress address, Link link) {
    int flags = (address.family() == AddressFamily.INET6 ? AddressMessage.IFA_F_NODAD : 0)
        | (noPrefixRoute ? AddressMessage.IFA_F_NOPREFIXROUTE : 0);
    return AddressMessage.of(address.address(), address.prefixLength(), link.index(), flags, address.label())
        .toMessage(Rtnetlink.RTM_NEWADDR, ADD_FLAGS);
  }

  /**
   * Prepares the take-over of every managed VIP without touching any: looks up the interfaces,
   * encodes the RTM_NEWADDR requests and the announcement frames, and runs the frame-sending code
   * once without sending ({@link AddressKernel#warmUpFrame}). {@link #add} and {@link #announce}
   * then send the prepared bytes as long as the interface keeps its index and hardware address. An
   * interface that cannot be looked up is skipped; the take-over looks again.
   */
  @Override
  public void prepare() {
    List<Prepared> frames = new ArrayList<>();
    synchronized (this) {
      requireOpen();
      for (VirtualAddress v : managed) {
        Link link;
        try {
          link = link(v.interfaceName());
        } catch (AddressException e) {
          log.debug("not preparing {}: {}", v, e.getMessage());
          continue;
        }
        MacAddress mac = link.mac();
        MessageBuilder request = addRequest(v, link);
        // Built once so that the take-over's build runs warm code too; the bytes are thrown away.
        request.build(0, route.portId());
        Prepared p = new Prepared(link.index(), mac, request, mac == null ? null : frame(v, mac));
        prepared.put(v, p);
        frames.add(p);
      }
    }
    // A take-over runs the netlink request and the frame send once, so a backup would run them
    // interpreted: 0.3-1 ms between the master-down timer and the gratuitous ARP on a VM, while
    // keepalived needs 0.2 ms. Exchanging read-only link requests (the ones link() uses) and
    // warming the frame path enough times for the JIT to compile them takes ~40 ms, once: the
    // code is the same for every address, and a later prepare must not hold up the scheduler.
    for (Prepared p : frames) {
      warmUpFrame(p);
    }
    if (!warmedUp && !frames.isEmpty()) {
      warmedUp = true;
      Prepared first = frames.get(0);
      for (int i = 0; i < WARM_UP_ROUNDS; i++) {
        warmUpRequest(first);
        warmUpFrame(first);
      }
    }
    if (!twin && !frames.isEmpty() && REHEARSED.compareAndSet(false, true)) {
      long began = System.nanoTime();
      int done = rehearseTakeOver(REHEARSAL_ROUNDS);
      log.debug("rehearsed the take-over {} times in {} ms", done, (System.nanoTime() - began) / 1_000_000);
    }
  }

  /**
   * Runs this owner's take-over of a VIP ({@link #add}, {@link #announce}, then {@link #remove})
   * {@code rounds} times on a twin, so that the real one runs code that is linked and compiled: a
   * backup runs it once, when every client waits for it, and the first run of Java code is slow
   * (interpreted, call sites linked, classes loaded). The first {@link #prepare()} in a JVM does it
   * once; the netlink request and the frame send themselves are warmed by {@code prepare()}.
   *
   * <p>The twin touches nothing: it takes over the first prepared VIP with this owner's settings,
   * interface and bytes, but over a kernel of its own that acks every request and drops every
   * frame, keeping time on a scheduler of its own (on this thread), and logs nothing.
   *
   * @return the rounds in which the twin's kernel saw the VIP added and announced, or 0 when no VIP
   *     is prepared
   */
  public int rehearseTakeOver(int rounds) {
    if (rounds < 0) {
      throw new IllegalArgumentException("rounds must be >= 0, was " + rounds);
    }
    VirtualAddress vip = null;
    Link link = null;
    Prepared ready = null;
    synchronized (this) {
      requireOpen();
      for (VirtualAddress v : managed) {
        Link l = links.get(v.interfaceName());
        Prepared p = prepared.get(v);
        if (l != null && p != null && p.fits(l)) {
          vip = v;
          link = l;
          ready = p;
          break;
        }
      }
    }
    if (vip == null || link == null || ready == null) {
      return 0;
    }
    RehearsalScheduler s = new RehearsalScheduler();
    RehearsalKernel k = new RehearsalKernel();
    Duration span = policy.repeatDelay().plus(policy.interval().multipliedBy(policy.count() + 1L));
    int done = 0;
    for (int i = 0; i < rounds; i++) {
      Builder b = builder(k, s).manage(vip).announcement(policy).restoreRemoved(restoreRemoved)
          .noPrefixRoute(noPrefixRoute);
      VipOwner t = new VipOwner(b, true);
      t.start(false);
      synchronized (t) {
        t.links.put(vip.interfaceName(), link);
        t.prepared.put(vip, ready);
      }
      long requests = k.requests;
      long frames = k.frames;
      t.add(vip);
      t.announce(vip);
      s.runFor(span);
      if (k.requests > requests && k.frames > frames) {
        done++;
      }
      t.remove(vip);
      t.close();
      s.runFor(Duration.ZERO);
    }
    return done;
  }

  /** A rehearsal's kernel: acks every request, answers every dump with nothing, drops every frame. */
  private static final class RehearsalKernel implements AddressKernel, NetlinkTransport {
    private static final int PORT_ID = 0x5245;
    private final ArrayDeque<ByteBuffer> replies = new ArrayDeque<>();
    long requests;
    long frames;

    @Override
    public NetlinkTransport routeSocket() {
      return this;
    }

    @Override
    public Cancellable subscribe(Consumer<NetlinkMessage> sink, Runnable lost) {
      return () -> { };
    }

    @Override
    public void sendFrame(int index, byte[] frame) {
      frames++;
    }

    @Override
    public int portId() {
      return PORT_ID;
    }

    @Override
    public void send(ByteBuffer datagram) {
      for (NetlinkMessage m : NetlinkMessage.parseAll(datagram.duplicate().order(ByteOrder.nativeOrder()))) {
        requests++;
        replies.add((m.flags() & Netlink.F_DUMP) == Netlink.F_DUMP
            ? Rtnetlink.done(m.sequence(), PORT_ID, false) : Rtnetlink.error(m, 0, PORT_ID));
      }
    }

    @Override
    public ByteBuffer receive(Duration timeout) {
      ByteBuffer r = replies.poll();
      if (r == null) {
        throw new NetlinkException(NetlinkException.Kind.TIMEOUT, 0, "no reply queued in the rehearsal", null, null);
      }
      return r.order(ByteOrder.nativeOrder());
    }

    @Override
    public void close() {}
  }

  /** Rounds of {@link #prepare}'s warm-up: above the JIT's first compile threshold (200 calls). */
  private static final int WARM_UP_ROUNDS = 300;

  private boolean warmedUp;

  private void warmUpRequest(Prepared p) {
    try {
      synchronized (this) {
        requireOpen();
        route.request(LinkMessage.byIndex(p.index()).toMessage(Rtnetlink.RTM_GETLINK, 0));
      }
    } catch (RuntimeException e) {
      log.debug("warming up the netlink path failed: {}", e.toString());
    }
  }

  private void warmUpFrame(Prepared p) {
    byte[] frame = p.frame();
    if (frame != null) {
      try {
        kernel.warmUpFrame(p.index(), frame);
      } catch (RuntimeException e) {
        log.debug("warming up the frame path failed: {}", e.toString());
      }
    }
  }

  /**
   * Sends an acked request; returns 0 or the kernel's errno, throws on anything but a kernel answer.
   * The message is built only on failure: a take-over's first string concatenation at a new site
   * costs a bootstrap before the gratuitous ARP.
   */
  private int exchange(MessageBuilder request, String doing, VirtualAddress address) {
    try {
      route.request(request);
      return 0;
    } catch (NetlinkException e) {
      if (e.kind() == NetlinkException.Kind.KERNEL) {
        return e.errno();
      }
      throw failure(e.errno(), e, doing + address);
    }
  }

  @Override
  public List<VirtualAddress> list() {
    synchronized (this) {
      requireOpen();
      return present();
    }
  }

  private List<VirtualAddress> present() {
    List<AddressMessage> kernelAddresses = new ArrayList<>();
    for (AddressFamily family : AddressFamily.values()) {
      List<NetlinkMessage> replies;
      try {
        replies = route.dump(AddressMessage.dump(family, 0).toMessage(Rtnetlink.RTM_GETADDR, 0));
      } catch (NetlinkException e) {
        throw failure(e.errno(), e, "listing " + family + " addresses");
      }
      for (NetlinkMessage m : replies) {
        if (m.type() == Rtnetlink.RTM_NEWADDR) {
          kernelAddresses.add(AddressMessage.from(m));
        }
      }
    }
    List<VirtualAddress> out = new ArrayList<>();
    for (VirtualAddress v : managed) {
      Link link = links.get(v.interfaceName());
      Integer index = link != null ? Integer.valueOf(link.index()) : lookupIndex(v.interfaceName());
      if (index == null) {
        continue;
      }
      for (AddressMessage a : kernelAddresses) {
        if (a.index() == index && v.address().equals(a.ownAddress()) && a.prefixLength() == v.prefixLength()) {
          out.add(v);
          break;
        }
      }
    }
    return out;
  }

  private @Nullable Integer lookupIndex(String name) {
    try {
      return link(name).index();
    } catch (AddressException e) {
      if (e.reason() == Reason.NO_SUCH_INTERFACE) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Removes managed VIPs that are present but that this owner has not added: leftovers of a crashed
   * earlier run. Call it before deciding to become master.
   *
   * @return the VIPs removed
   */
  public List<VirtualAddress> releaseStale() {
    synchronized (this) {
      requireOpen();
      List<VirtualAddress> stale = new ArrayList<>();
      for (VirtualAddress v : present()) {
        if (!owned.contains(v)) {
          removeFromKernel(v);
          stale.add(v);
          log.info("removed stale {} left by an earlier run", v);
        }
      }
      return stale;
    }
  }

  @Override
  public void announce(VirtualAddress address) {
    requireManaged(address);
    Link link;
    @Nullable Prepared ready;
    synchronized (this) {
      requireOpen();
      link = link(address.interfaceName());
      cancelAnnouncements(address);
      ready = prepared.get(address);
    }
    MacAddress mac = link.mac();
    if (mac == null) {
      throw new AddressException(Reason.INVALID, 0,
          "interface " + address.interfaceName() + " has no Ethernet address to announce " + address);
    }
    byte[] readyFrame = ready != null && ready.fits(link) ? ready.frame() : null;
    byte[] frame = readyFrame != null ? readyFrame : frame(address, mac);
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
    synchronized (this) {
      announcements.put(address, tasks);
    }
    // Logged by the next task, as addedLine: at a take-over the election's first advertisement
    // is queued already and should not wait for a log line.
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

  private void cancelAnnouncements(VirtualAddress address) {
    List<Cancellable> tasks = announcements.remove(address);
    if (tasks != null) {
      tasks.forEach(Cancellable::cancel);
    }
  }

  @Override
  public void watch(Consumer<AddressEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Runs on the kernel's receive thread: decode there, act on the scheduler. */
  private void onNotification(NetlinkMessage m) {
    try {
      switch (m.type()) {
        case Rtnetlink.RTM_DELADDR -> {
          AddressMessage a = AddressMessage.from(m);
          scheduler.execute(() -> addressRemoved(a));
        }
        case Rtnetlink.RTM_NEWLINK, Rtnetlink.RTM_DELLINK -> {
          LinkMessage l = LinkMessage.from(m);
          boolean deleted = m.type() == Rtnetlink.RTM_DELLINK;
          scheduler.execute(() -> linkChanged(l, deleted));
        }
        default -> { }
      }
    } catch (NetlinkException e) {
      malformedNotifications.incrementAndGet();
      log.debug("dropped a malformed notification: {}", e.getMessage());
    }
  }

  private void addressRemoved(AddressMessage a) {
    List<VirtualAddress> gone = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      for (VirtualAddress v : owned) {
        Link link = links.get(v.interfaceName());
        if (link != null && link.index() == a.index() && v.address().equals(a.ownAddress())
            && v.prefixLength() == a.prefixLength()) {
          gone.add(v);
        }
      }
    }
    for (VirtualAddress v : gone) {
      log.info("{} was removed by someone else{}", v, restoreRemoved ? "; putting it back" : "");
      fire(new AddressEvent.AddressRemoved(v));
      if (restoreRemoved) {
        restore(v);
      }
    }
  }

  private void restore(VirtualAddress v) {
    try {
      synchronized (this) {
        if (closed || !owned.contains(v)) {
          return;
        }
        addToKernel(v);
      }
      announce(v);
    } catch (AddressException e) {
      log.warn("could not put back {}: {}", v, e.getMessage());
    }
  }

  private void linkChanged(LinkMessage l, boolean deleted) {
    String name = null;
    boolean wasUsable;
    boolean usable = !deleted && l.isUsable();
    synchronized (this) {
      if (closed) {
        return;
      }
      for (Map.Entry<String, Link> e : links.entrySet()) {
        if (e.getValue().index() == l.index()) {
          name = e.getKey();
        }
      }
      if (name == null && l.name() != null && isManagedInterface(l.name())) {
        name = l.name();
      }
      if (name == null) {
        return;
      }
      Link old = links.get(name);
      wasUsable = old == null || old.usable();
      if (deleted || (l.name() != null && !l.name().equals(name))) {
        links.remove(name);
      } else {
        MacAddress mac = l.hardwareAddress() != null ? l.hardwareAddress() : old != null ? old.mac() : null;
        links.put(name, new Link(l.index(), mac, usable));
      }
    }
    if (wasUsable && !usable) {
      log.info("interface {} is down", name);
      fire(new AddressEvent.LinkDown(name));
    } else if (!wasUsable && usable) {
      log.info("interface {} is up", name);
      fire(new AddressEvent.LinkUp(name));
    }
  }

  private boolean isManagedInterface(String name) {
    for (VirtualAddress v : managed) {
      if (v.interfaceName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Notifications were lost: compare what we own with what is there. */
  private void resynchronise() {
    List<VirtualAddress> missing = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      links.clear();
      List<VirtualAddress> present = present();
      for (VirtualAddress v : owned) {
        if (!present.contains(v)) {
          missing.add(v);
        }
      }
    }
    for (VirtualAddress v : missing) {
      fire(new AddressEvent.AddressRemoved(v));
      if (restoreRemoved) {
        restore(v);
      }
    }
  }

  private void fire(AddressEvent event) {
    for (Consumer<AddressEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        log.warn("address listener failed on {}", event, e);
      }
    }
  }

  private Link link(String name) {
    Link known = links.get(name);
    if (known != null) {
      return known;
    }
    List<NetlinkMessage> replies;
    try {
      replies = route.request(LinkMessage.byName(name).toMessage(Rtnetlink.RTM_GETLINK, 0));
    } catch (NetlinkException e) {
      throw failure(e.errno(), e, "looking up interface " + name);
    }
    for (NetlinkMessage m : replies) {
      if (m.type() == Rtnetlink.RTM_NEWLINK) {
        LinkMessage l = LinkMessage.from(m);
        Link link = new Link(l.index(), l.hardwareAddress(), l.isUsable());
        links.put(name, link);
        return link;
      }
    }
    throw new AddressException(Reason.OTHER, 0, "no RTM_NEWLINK in the answer for interface " + name);
  }

  private static AddressException failure(int errno, @Nullable NetlinkException cause, String what) {
    Reason reason = switch (errno) {
      case ENODEV -> Reason.NO_SUCH_INTERFACE;
      case EPERM, EACCES -> Reason.NOT_PERMITTED;
      case EINVAL -> Reason.INVALID;
      default -> Reason.OTHER;
    };
    String hint = reason == Reason.NOT_PERMITTED ? " (needs CAP_NET_ADMIN)" : "";
    String detail = cause != null ? ": " + cause.getMessage() : "";
    return new AddressException(reason, errno, what + " failed" + hint + detail, cause);
  }

  private void requireManaged(VirtualAddress address) {
    Objects.requireNonNull(address, "address");
    synchronized (this) {
      if (!managed.contains(address)) {
        throw new AddressException(Reason.NOT_MANAGED, 0, address + " is not in the managed VIP set " + managed);
      }
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this VIP owner is closed");
    }
  }

  /** Removes every managed VIP that is present (owned or stale), once. */
  private void releaseAll() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (subscription != null) {
        subscription.cancel();
      }
      announcements.values().forEach(ts -> ts.forEach(Cancellable::cancel));
      announcements.clear();
      owned.clear();
      try {
        for (VirtualAddress v : present()) {
          try {
            removeFromKernel(v);
            log.info("released {}", v);
          } catch (AddressException e) {
            log.warn("could not release {}: {}", v, e.getMessage());
          }
        }
      } catch (AddressException e) {
        log.warn("could not list addresses to release: {}", e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    releaseAll();
    Thread hook;
    synchronized (this) {
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
