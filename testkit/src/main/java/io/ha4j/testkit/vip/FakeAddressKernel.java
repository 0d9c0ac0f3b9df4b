package io.ha4j.testkit.vip;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.Cancellable;
import io.ha4j.api.address.AddressException;
import io.ha4j.linux.Errno;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkTransport;
import io.ha4j.vip.AddressKernel;
import io.ha4j.vip.codec.AddressMessage;
import io.ha4j.vip.codec.LinkMessage;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.Rtnetlink;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Speaks the same bytes as Linux to an {@link io.ha4j.vip.VipOwner}: it decodes our rtnetlink
 * requests (RTM_GETLINK, RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR dumps) and answers them as the
 * kernel does, with EEXIST for an address that is there (with NLM_F_EXCL), EADDRNOTAVAIL for a
 * delete of one that is not, ENODEV for an unknown interface; errors echo the whole request, acks
 * only its header. It emits the notifications the kernel would (our own changes included), lets a
 * test act as "someone else" ({@link #removeExternally}, {@link #setLink}, {@link #deleteInterface}
 * and {@link #addInterface} again to re-create one), hands frames of another host to the claim
 * sinks ({@link #hear}: a conflict) and records every frame sent. Faults: refused
 * requests ({@link #failNextRequest}, {@link #failAdds}), answers lost after the request took
 * effect ({@link #loseReplies}) and lost notifications ({@link #dropNotifications}, {@link
 * #overrun}).
 *
 * <p>Requests and notifications are handled on the calling thread. Thread-safe.
 */
public final class FakeAddressKernel implements AddressKernel {

  /** The port id replies are addressed to. */
  public static final int PORT_ID = 0x4a4a;

  /** An interface of the fake. */
  public record Interface(String name, int index, MacAddress mac, boolean up) {}

  /** An address of the fake, as the kernel keeps it. */
  public record Address(int index, InetAddress address, int prefixLength, int flags, @Nullable String label) {}

  /** A frame handed to {@link #sendFrame}: the interface index and a copy of the bytes. */
  public static final class Frame {
    private final int index;
    private final byte[] bytes;

    Frame(int index, byte[] bytes) {
      this.index = index;
      this.bytes = bytes.clone();
    }

    /** The interface index it was sent on. */
    public int index() {
      return index;
    }

    /** The whole Ethernet frame (a copy). */
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return "frame of " + bytes.length + " bytes on interface " + index;
    }
  }

  private final Map<String, Interface> interfaces = new LinkedHashMap<>();
  private final List<Address> addresses = new ArrayList<>();
  private final List<Frame> frames = new ArrayList<>();
  private final Deque<ByteBuffer> replies = new ArrayDeque<>();
  private final List<NetlinkMessage> requests = new ArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private int nextIndex = 2;
  private final RequestFaults faults = new RequestFaults();
  private int failFramesErrno;
  private boolean closed;
  private boolean dropNotifications;

  private final List<FrameSink> claimSinks = new ArrayList<>();

  private record Subscription(Consumer<NetlinkMessage> sink, Runnable lost, AtomicBoolean cancelled) {}

  /**
   * Adds an Ethernet interface that is up, under a new index (also for a name used before: a
   * re-created interface) and notifies; returns its index.
   */
  public int addInterface(String name, MacAddress mac) {
    Objects.requireNonNull(name, "name");
    Interface i;
    synchronized (this) {
      if (interfaces.containsKey(name)) {
        throw new IllegalArgumentException("interface " + name + " exists");
      }
      i = new Interface(name, nextIndex++, mac, true);
      interfaces.put(name, i);
    }
    notify(linkMessage(i).toMessage(Rtnetlink.RTM_NEWLINK, 0).build(0, 0));
    return i.index();
  }

  /** Sets an interface up or down (carrier) and notifies, like {@code ip link set NAME up|down}. */
  public void setLink(String name, boolean up) {
    Interface i;
    synchronized (this) {
      Interface old = requireInterface(name);
      i = new Interface(old.name(), old.index(), old.mac(), up);
      interfaces.put(name, i);
    }
    notify(linkMessage(i).toMessage(Rtnetlink.RTM_NEWLINK, 0).build(0, 0));
  }

  /**
   * Deletes an interface and its addresses, like {@code ip link del}, with the kernel's
   * notifications: the link going down (if it was up), each address removed, the link deleted.
   */
  public void deleteInterface(String name) {
    Interface i;
    List<Address> gone = new ArrayList<>();
    synchronized (this) {
      i = requireInterface(name);
      interfaces.remove(name);
      for (Address a : addresses) {
        if (a.index() == i.index()) {
          gone.add(a);
        }
      }
      addresses.removeAll(gone);
    }
    Interface down = new Interface(i.name(), i.index(), i.mac(), false);
    if (i.up()) {
      notify(linkMessage(down).toMessage(Rtnetlink.RTM_NEWLINK, 0).build(0, 0));
    }
    for (Address a : gone) {
      notify(addressMessage(a).toMessage(Rtnetlink.RTM_DELADDR, 0).build(0, 0));
    }
    notify(linkMessage(down).toMessage(Rtnetlink.RTM_DELLINK, 0).build(0, 0));
  }

  /** Adds an address as someone else would ({@code ip addr add}), e.g. a VIP left by a crashed run. */
  public void addExternally(String interfaceName, InetAddress address, int prefixLength) {
    Address a;
    synchronized (this) {
      Interface i = requireInterface(interfaceName);
      a = new Address(i.index(), address, prefixLength, AddressMessage.IFA_F_PERMANENT,
          AddressFamily.of(address) == AddressFamily.INET ? interfaceName : null);
      addresses.add(a);
    }
    notify(addressMessage(a).toMessage(Rtnetlink.RTM_NEWADDR, 0).build(0, 0));
  }

  /** Removes an address as someone else would ({@code ip addr del}); returns whether it was there. */
  public boolean removeExternally(String interfaceName, InetAddress address) {
    Address gone = null;
    synchronized (this) {
      Interface i = requireInterface(interfaceName);
      for (Address a : addresses) {
        if (a.index() == i.index() && a.address().equals(address)) {
          gone = a;
        }
      }
      if (gone != null) {
        addresses.remove(gone);
      }
    }
    if (gone != null) {
      notify(addressMessage(gone).toMessage(Rtnetlink.RTM_DELADDR, 0).build(0, 0));
    }
    return gone != null;
  }

  /**
   * Another host's frame arrives on interface {@code index}: handed to the {@link #receiveClaims}
   * sinks if Linux's claim sockets would take it, that is an ARP frame for Ethernet/IPv4 or an IPv6
   * frame carrying ICMPv6 type 136 (their socket filters); anything else is dropped as the kernel
   * drops it. Returns whether it was handed over. How a test injects a conflict.
   */
  public boolean hear(int index, byte[] frame) {
    if (!claimWouldPass(frame)) {
      return false;
    }
    List<FrameSink> sinks;
    synchronized (this) {
      sinks = List.copyOf(claimSinks);
    }
    for (FrameSink sink : sinks) {
      sink.frame(index, ByteBuffer.wrap(frame.clone()));
    }
    return !sinks.isEmpty();
  }

  private static boolean claimWouldPass(byte[] f) {
    if (f.length < 14) {
      return false;
    }
    int ethertype = ((f[12] & 0xff) << 8) | (f[13] & 0xff);
    if (ethertype == 0x0806) {
      return f.length >= 18 && f[14] == 0 && f[15] == 1 && f[16] == 8 && f[17] == 0;
    }
    return ethertype == 0x86dd && f.length > 54 && (f[20] & 0xff) == 58 && (f[54] & 0xff) == 136;
  }

  /** Tells subscribers that notifications were lost (ENOBUFS on their socket). */
  public void overrun() {
    List<Subscription> all;
    synchronized (this) {
      all = List.copyOf(subscriptions);
    }
    for (Subscription s : all) {
      if (!s.cancelled().get()) {
        s.lost().run();
      }
    }
  }

  /** While on, notifications are lost, as when a socket's receive queue overflows; see {@link #overrun()}. */
  public synchronized void dropNotifications(boolean on) {
    dropNotifications = on;
  }

  /** The next request fails with {@code errno} (e.g. {@code Errno.EPERM.number()} without CAP_NET_ADMIN). */
  public synchronized void failNextRequest(int errno) {
    faults.failNext(errno);
  }

  /**
   * Address adds (RTM_NEWADDR) fail with {@code errno} until set back to 0, as under memory
   * pressure ({@code Errno.ENOMEM.number()}).
   */
  public synchronized void failAdds(int errno) {
    faults.failAdds(errno);
  }

  /**
   * The next {@code count} requests are carried out but get no answer: the client times out and
   * cannot tell whether its request took effect (an ambiguous reply).
   */
  public synchronized void loseReplies(int count) {
    faults.loseReplies(count);
  }

  /** Frames fail with {@code errno} until set back to 0 (e.g. {@code Errno.EPERM.number()} without CAP_NET_RAW). */
  public synchronized void failFrames(int errno) {
    failFramesErrno = errno;
  }

  /** The addresses now present. */
  public synchronized List<Address> addresses() {
    return List.copyOf(addresses);
  }

  /** Whether {@code address} is on {@code interfaceName}. */
  public synchronized boolean has(String interfaceName, InetAddress address) {
    Interface i = interfaces.get(interfaceName);
    return i != null && addresses.stream().anyMatch(a -> a.index() == i.index() && a.address().equals(address));
  }

  /** Every frame sent so far. */
  public synchronized List<Frame> frames() {
    return List.copyOf(frames);
  }

  /** Every request received so far, decoded. */
  public synchronized List<NetlinkMessage> requests() {
    return List.copyOf(requests);
  }

  /** Whether {@link #close()} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public NetlinkTransport routeSocket() {
    return transport;
  }

  private final NetlinkTransport transport = new NetlinkTransport() {
    @Override
    public int portId() {
      return PORT_ID;
    }

    @Override
    public void send(ByteBuffer datagram) {
      List<ByteBuffer> notifications = new ArrayList<>();
      synchronized (FakeAddressKernel.this) {
        if (closed) {
          throw new NetlinkException(NetlinkException.Kind.IO, 9, "socket closed", null, null);
        }
        for (NetlinkMessage m : NetlinkMessage.parseAll(datagram)) {
          requests.add(m);
          handle(m, notifications);
        }
      }
      notifications.forEach(FakeAddressKernel.this::notify);
    }

    @Override
    public ByteBuffer receive(Duration timeout) {
      synchronized (FakeAddressKernel.this) {
        ByteBuffer b = replies.poll();
        if (b == null) {
          throw new NetlinkException(NetlinkException.Kind.TIMEOUT, 0, "no reply queued in the fake kernel", null, null);
        }
        return b;
      }
    }

    @Override
    public void close() {
      FakeAddressKernel.this.close();
    }
  };

  /** Runs with the lock held. */
  private void handle(NetlinkMessage m, List<ByteBuffer> notifications) {
    int refused = faults.refusal(m);
    if (refused != 0) {
      reply(Rtnetlink.error(m, refused, PORT_ID));
      return;
    }
    int queued = replies.size();
    answer(m, notifications);
    if (faults.loseReply()) {
      while (replies.size() > queued) {
        replies.pollLast();
      }
    }
  }

  private void answer(NetlinkMessage m, List<ByteBuffer> notifications) {
    switch (m.type()) {
      case Rtnetlink.RTM_GETLINK -> getLink(m);
      case Rtnetlink.RTM_NEWADDR -> newAddress(m, notifications);
      case Rtnetlink.RTM_DELADDR -> deleteAddress(m, notifications);
      case Rtnetlink.RTM_GETADDR -> dumpAddresses(m);
      default -> reply(Rtnetlink.error(m, 95, PORT_ID)); // EOPNOTSUPP
    }
  }

  private void getLink(NetlinkMessage m) {
    LinkMessage q = LinkMessage.from(m);
    Interface found = null;
    for (Interface i : interfaces.values()) {
      if ((q.index() != 0 && i.index() == q.index()) || (q.index() == 0 && i.name().equals(q.name()))) {
        found = i;
      }
    }
    if (found == null) {
      reply(Rtnetlink.error(m, Errno.ENODEV.number(), PORT_ID));
      return;
    }
    reply(linkMessage(found).toMessage(Rtnetlink.RTM_NEWLINK, 0).build(m.sequence(), PORT_ID));
    ack(m);
  }

  private void newAddress(NetlinkMessage m, List<ByteBuffer> notifications) {
    AddressMessage q = AddressMessage.from(m);
    InetAddress local = q.ownAddress();
    if (!hasIndex(q.index())) {
      reply(Rtnetlink.error(m, Errno.ENODEV.number(), PORT_ID));
      return;
    }
    if (local == null) {
      reply(Rtnetlink.error(m, 22, PORT_ID)); // EINVAL: the kernel needs IFA_LOCAL or IFA_ADDRESS
      return;
    }
    for (Address a : addresses) {
      if (a.index() == q.index() && a.address().equals(local) && a.prefixLength() == q.prefixLength()) {
        if ((m.flags() & Netlink.F_EXCL) != 0) {
          reply(Rtnetlink.error(m, Errno.EEXIST.number(), PORT_ID));
        } else {
          ack(m);
        }
        return;
      }
    }
    String label = q.label();
    if (label == null && q.family() == AddressFamily.INET) {
      label = nameOf(q.index()); // Linux labels every IPv4 address, with the interface name by default
    }
    Address a = new Address(q.index(), local, q.prefixLength(), q.flags() | AddressMessage.IFA_F_PERMANENT, label);
    addresses.add(a);
    notifications.add(addressMessage(a).toMessage(Rtnetlink.RTM_NEWADDR, 0).build(0, 0));
    ack(m);
  }

  private void deleteAddress(NetlinkMessage m, List<ByteBuffer> notifications) {
    AddressMessage q = AddressMessage.from(m);
    if (!hasIndex(q.index())) {
      reply(Rtnetlink.error(m, Errno.ENODEV.number(), PORT_ID));
      return;
    }
    for (Address a : addresses) {
      if (a.index() == q.index() && a.address().equals(q.ownAddress()) && a.prefixLength() == q.prefixLength()) {
        addresses.remove(a);
        notifications.add(addressMessage(a).toMessage(Rtnetlink.RTM_DELADDR, 0).build(0, 0));
        ack(m);
        return;
      }
    }
    reply(Rtnetlink.error(m, Errno.EADDRNOTAVAIL.number(), PORT_ID));
  }

  private void dumpAddresses(NetlinkMessage m) {
    AddressMessage q = AddressMessage.from(m);
    for (Address a : addresses) {
      if (AddressFamily.of(a.address()) == q.family() && (q.index() == 0 || q.index() == a.index())) {
        reply(addressMessage(a).toMessage(Rtnetlink.RTM_NEWADDR, Netlink.F_MULTI).build(m.sequence(), PORT_ID));
      }
    }
    reply(Rtnetlink.done(m.sequence(), PORT_ID, q.index() != 0));
  }

  private @Nullable String nameOf(int index) {
    for (Interface i : interfaces.values()) {
      if (i.index() == index) {
        return i.name();
      }
    }
    return null;
  }

  private boolean hasIndex(int index) {
    return interfaces.values().stream().anyMatch(i -> i.index() == index);
  }

  private void ack(NetlinkMessage m) {
    if ((m.flags() & Netlink.F_ACK) != 0) {
      reply(Rtnetlink.error(m, 0, PORT_ID));
    }
  }

  private void reply(ByteBuffer b) {
    replies.add(b.duplicate().order(ByteOrder.nativeOrder()));
  }

  private static LinkMessage linkMessage(Interface i) {
    int flags = LinkMessage.IFF_BROADCAST | LinkMessage.IFF_MULTICAST
        | (i.up() ? LinkMessage.IFF_UP | LinkMessage.IFF_RUNNING | LinkMessage.IFF_LOWER_UP : 0);
    return new LinkMessage(i.index(), LinkMessage.ARPHRD_ETHER, flags, i.name(), i.mac(),
        i.up() ? LinkMessage.IF_OPER_UP : LinkMessage.IF_OPER_DOWN);
  }

  private static AddressMessage addressMessage(Address a) {
    return new AddressMessage(AddressFamily.of(a.address()), a.prefixLength(), a.flags(), 0, a.index(), a.address(),
        a.address(), a.label());
  }

  private Interface requireInterface(String name) {
    Interface i = interfaces.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no interface " + name + " in the fake kernel");
    }
    return i;
  }

  private synchronized List<Subscription> subscriptionsSnapshot() {
    return dropNotifications ? List.of() : List.copyOf(subscriptions);
  }

  private void notify(ByteBuffer datagram) {
    for (NetlinkMessage m : NetlinkMessage.parseAll(datagram)) {
      for (Subscription s : subscriptionsSnapshot()) {
        if (!s.cancelled().get()) {
          s.sink().accept(m);
        }
      }
    }
  }

  @Override
  public synchronized Cancellable receiveClaims(FrameSink sink) {
    FrameSink s = Objects.requireNonNull(sink, "sink");
    claimSinks.add(s);
    return () -> {
      synchronized (FakeAddressKernel.this) {
        claimSinks.remove(s);
      }
    };
  }

  @Override
  public synchronized Cancellable subscribe(Consumer<NetlinkMessage> sink, Runnable lost) {
    Subscription s = new Subscription(Objects.requireNonNull(sink, "sink"), Objects.requireNonNull(lost, "lost"),
        new AtomicBoolean());
    subscriptions.add(s);
    return () -> {
      synchronized (FakeAddressKernel.this) {
        s.cancelled().set(true);
        subscriptions.remove(s);
      }
    };
  }

  @Override
  public void sendFrame(int index, byte[] frame) {
    synchronized (this) {
      if (failFramesErrno != 0) {
        throw new AddressException(Errno.EPERM.is(failFramesErrno) ? AddressException.Reason.NOT_PERMITTED
            : AddressException.Reason.OTHER, failFramesErrno, "sending a frame on interface " + index + " failed");
      }
      if (!hasIndex(index)) {
        throw new AddressException(AddressException.Reason.NO_SUCH_INTERFACE, Errno.ENODEV.number(),
            "no interface " + index);
      }
      frames.add(new Frame(index, frame));
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    subscriptions.clear();
    claimSinks.clear();
  }
}
