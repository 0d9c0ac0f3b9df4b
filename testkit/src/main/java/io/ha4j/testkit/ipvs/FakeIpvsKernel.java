package io.ha4j.testkit.ipvs;

import io.ha4j.linux.Errno;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An in-memory Linux IPVS table behind a {@link NetlinkTransport}: it decodes the real encoded
 * requests (generic netlink controller and the IPVS family), keeps services and destinations with
 * the kernel's semantics and answers with encoded replies, so a client runs against it exactly as
 * against a socket.
 *
 * <p>Kernel behaviour reproduced (net/netfilter/ipvs/ip_vs_ctl.c, 6.x): EEXIST for a duplicate
 * service or destination, ESRCH for a missing service, ENOENT for a missing destination, unknown
 * scheduler or persistence engine, or unknown family, EINVAL for missing attributes or an IPv6
 * netmask outside 1..128, ERANGE when the lower threshold exceeds the upper, EINVAL for a GUE tunnel
 * without port; the {@code HASHED} flag on every service; new destinations listed first; sync daemon
 * defaults (224.0.0.81:8848, TTL 1, 1472 bytes); EINVAL for a sync daemon while a real server of the
 * other address family exists, and for adding one while a daemon runs; timeouts 900/120/300 with 0 meaning unchanged;
 * acks capped and errors carrying only the request's header ({@code NETLINK_CAP_ACK}); dumps split
 * into datagrams of about one page ({@code NLMSG_GOODSIZE}) and ended by {@code NLMSG_DONE} in a
 * datagram of its own; a destination dump for a missing service is empty, not an error; control
 * messages ({@code NLMSG_NOOP}) acked when they ask for it.
 *
 * <p>Receiving never blocks: when no reply is queued, {@link #receive} fails with a timeout at
 * once. Faults are queued with {@link #inject(IpvsFault)} and hit the replies of the following
 * requests, one fault per request.
 *
 * <p>This class is the socket: its receive queue and the faults that hit it. The request
 * decoding and dispatch, the table with its rules and the reply encoding are package-private
 * classes beside it.
 */
public final class FakeIpvsKernel implements NetlinkTransport {

  /** The family id the fake's controller hands out for IPVS (the capture's value). */
  public static final int DEFAULT_FAMILY_ID = 0x20;
  /** {@code NLMSG_GOODSIZE} on a 4 KiB-page machine: a page less {@code skb_shared_info}. */
  public static final int DEFAULT_DUMP_DATAGRAM = 4096 - 320;
  /** Schedulers a stock kernel builds as modules (net/netfilter/ipvs/Kconfig). */
  public static final Set<String> STOCK_SCHEDULERS =
      Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos");

  private final int portId;
  private final IpvsTable table;
  private final IpvsRequests requests;
  private final Deque<ByteBuffer> queue = new ArrayDeque<>();
  private final Deque<ByteBuffer> delayed = new ArrayDeque<>();
  private final Deque<IpvsFault> faults = new ArrayDeque<>();
  private boolean overrun;
  private long handled;

  /** A fake with the stock schedulers, family id 0x20 and page-sized dump datagrams. */
  public FakeIpvsKernel() {
    this(0x7e57, DEFAULT_FAMILY_ID, DEFAULT_DUMP_DATAGRAM, STOCK_SCHEDULERS);
  }

  /**
   * @param portId the port id replies are addressed to
   * @param familyId the id the controller hands out for {@code IPVS}
   * @param dumpDatagram the most bytes of dump messages per datagram (at least 512)
   * @param schedulers the scheduler names the kernel knows
   */
  public FakeIpvsKernel(int portId, int familyId, int dumpDatagram, Set<String> schedulers) {
    if (familyId < Netlink.NLMSG_MIN_TYPE || familyId == Netlink.GENL_ID_CTRL || familyId > 0xffff) {
      throw new IllegalArgumentException("familyId must be 0x11..0xffff, was " + familyId);
    }
    if (dumpDatagram < 512) {
      throw new IllegalArgumentException("dumpDatagram must be at least 512, was " + dumpDatagram);
    }
    this.portId = portId;
    this.table = new IpvsTable(schedulers);
    this.requests = new IpvsRequests(table, new IpvsReplies(portId, familyId, dumpDatagram));
  }

  /** Makes the replies to the next request without a queued fault suffer {@code fault}. */
  public synchronized FakeIpvsKernel inject(IpvsFault fault) {
    faults.add(fault);
    return this;
  }

  /** Unloads or loads the ip_vs module: without it the controller has no IPVS family (ENOENT). */
  public synchronized FakeIpvsKernel ipvsLoaded(boolean loaded) {
    requests.ipvsLoaded(loaded);
    return this;
  }

  /** Sets the counters of a service (as traffic would), for listing tests; conns, inpkts, outpkts, inbytes, outbytes, cps, inpps, outpps, inbps, outbps. */
  public synchronized void setServiceStats(String serviceKey, long... stats) {
    table.setServiceStats(serviceKey, stats);
  }

  /** Keys of the services in the table, as {@link #setServiceStats} takes them. */
  public synchronized List<String> serviceKeys() {
    return table.serviceKeys();
  }

  /** How many request messages the fake has handled. */
  public synchronized long requests() {
    return handled;
  }

  @Override
  public int portId() {
    return portId;
  }

  @Override
  public synchronized void send(ByteBuffer datagram) {
    List<NetlinkMessage> messages;
    try {
      messages = NetlinkMessage.parseAll(datagram);
    } catch (NetlinkException e) {
      return; // the kernel drops a datagram whose lengths do not add up
    }
    for (NetlinkMessage m : messages) {
      if ((m.flags() & Netlink.F_REQUEST) == 0) {
        continue;
      }
      handled++;
      List<ByteBuffer> replies = new ArrayList<>();
      requests.handle(m, replies);
      deliver(replies);
    }
  }

  private void deliver(List<ByteBuffer> replies) {
    IpvsFault fault = faults.poll();
    if (fault == null) {
      queue.addAll(replies);
      return;
    }
    switch (fault) {
      case ENOBUFS -> overrun = true;
      case DELAY -> delayed.addAll(replies);
      case LOST_REPLY -> { }
      case TRUNCATED -> replies.forEach(r -> queue.add(r.duplicate().limit(r.limit() / 2).slice()));
      case CORRUPT -> replies.forEach(r -> {
        ByteBuffer c = ByteBuffer.allocate(r.remaining()).order(ByteOrder.nativeOrder()).put(r.duplicate()).flip();
        int at = c.limit() / 3;
        c.put(at, (byte) ~c.get(at));
        queue.add(c);
      });
    }
  }

  @Override
  public synchronized ByteBuffer receive(Duration timeout) {
    if (overrun) {
      overrun = false;
      throw new NetlinkException(NetlinkException.Kind.OVERRUN, Errno.ENOBUFS.number(),
          "fake kernel: receive queue overflowed", null, null);
    }
    ByteBuffer next = queue.poll();
    if (next == null) {
      if (!delayed.isEmpty()) {
        queue.addAll(delayed);
        delayed.clear();
      }
      throw new NetlinkException(NetlinkException.Kind.TIMEOUT, 0, "fake kernel: no reply within " + timeout, null, null);
    }
    return next.duplicate().order(ByteOrder.nativeOrder());
  }

  @Override
  public void close() {}

  /** A readable dump of the table, for assertion messages. */
  @Override
  public synchronized String toString() {
    StringBuilder sb = new StringBuilder("FakeIpvsKernel{");
    for (KernelService s : table.services()) {
      sb.append(s.key()).append(' ').append(s.scheduler).append(new TreeSet<>(s.dests.keySet())).append("; ");
    }
    return sb.append('}').toString();
  }
}
