package io.ha4j.ipvs;

import io.ha4j.api.Clock;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.LoadBalancerTable;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.internal.IpvsCodec;
import io.ha4j.ipvs.internal.IpvsWire;
import io.ha4j.linux.Errno;
import io.ha4j.netlink.GenericNetlink;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.netlink.NetlinkSocket;
import io.ha4j.netlink.NetlinkTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux IPVS table over generic netlink: every IPVS command, and the ha4j
 * {@link LoadBalancerTable} on top. Errors are {@link IpvsException}s with the kernel's errno and
 * extended-ack text. {@link #apply} pipelines its ops (many acked requests in flight, in windows).
 *
 * <p>Runs over any {@link NetlinkTransport}: {@link #open()} uses a kernel socket, tests pass the
 * testkit's fake kernel. Thread-safe: requests are serialised on the connection.
 */
public final class IpvsClient implements LoadBalancerTable {

  private static final Logger LOG = LoggerFactory.getLogger(IpvsClient.class);

  /** Requests in flight during {@link #apply}: small enough that their acks fit the receive buffer. */
  public static final int APPLY_WINDOW = NetlinkConnection.DEFAULT_WINDOW;

  private final NetlinkConnection connection;
  private final GenericNetlink controller;
  private int familyId = -1;

  /** A client over {@code transport}, waiting at most {@code timeout} for each reply. */
  public IpvsClient(NetlinkTransport transport, Clock clock, Duration timeout) {
    this.connection = new NetlinkConnection(transport, clock, timeout);
    this.controller = new GenericNetlink(connection);
  }

  /**
   * A client of this process's network namespace.
   *
   * @throws UnsupportedOperationException with {@link Ipvs#unavailabilityCause()} if IPVS cannot be used
   * @throws IpvsException if the socket cannot be opened
   */
  public static IpvsClient open() {
    Ipvs.ensureAvailability();
    try {
      return new IpvsClient(NetlinkSocket.open(Netlink.PROTOCOL_GENERIC), Clock.system(),
          NetlinkConnection.DEFAULT_TIMEOUT);
    } catch (NetlinkException e) {
      throw IpvsException.of("open IPVS netlink socket", e);
    }
  }

  /**
   * A client of the IPVS table of network namespace {@code netns} (a name under /run/netns, or an
   * absolute path such as /proc/PID/ns/net). Whether ip_vs is there shows on the first request.
   *
   * @throws IpvsException if the namespace cannot be entered or the socket cannot be opened
   */
  public static IpvsClient open(String netns) {
    try {
      return new IpvsClient(NetlinkSocket.open(Netlink.PROTOCOL_GENERIC, netns), Clock.system(),
          NetlinkConnection.DEFAULT_TIMEOUT);
    } catch (NetlinkException e) {
      throw IpvsException.of("open IPVS netlink socket in network namespace " + netns, e);
    }
  }

  private synchronized int family() {
    if (familyId < 0) {
      try {
        familyId = controller.familyId(IpvsWire.FAMILY);
      } catch (NetlinkException e) {
        if (e.kind() == NetlinkException.Kind.KERNEL && Errno.ENOENT.is(e.errno())) {
          throw IpvsException.of("no IPVS generic netlink family (ip_vs module not loaded)", e);
        }
        throw IpvsException.of("resolve IPVS family", e);
      }
      LOG.debug("IPVS generic netlink family id {}", familyId);
    }
    return familyId;
  }

  private List<NetlinkMessage> call(String operation, Function<Integer, MessageBuilder> request) {
    try {
      return connection.request(request.apply(family()));
    } catch (NetlinkException e) {
      throw IpvsException.of(operation, e);
    }
  }

  private <T> List<T> dump(String operation, MessageBuilder request, int replyCommand,
      Function<NetlinkMessage, T> decode) {
    try {
      List<T> out = new ArrayList<>();
      for (NetlinkMessage m : connection.dump(request)) {
        out.add(decode.apply(checked(m, replyCommand)));
      }
      return out;
    } catch (NetlinkException e) {
      throw IpvsException.of(operation, e);
    }
  }

  private <T> T single(String operation, Function<Integer, MessageBuilder> request, int replyCommand,
      Function<NetlinkMessage, T> decode) {
    List<NetlinkMessage> replies = call(operation, request);
    try {
      if (replies.size() != 1) {
        throw NetlinkException.protocol(replies.size() + " replies, expected 1");
      }
      return decode.apply(checked(replies.get(0), replyCommand));
    } catch (NetlinkException e) {
      throw IpvsException.of(operation, e);
    }
  }

  private NetlinkMessage checked(NetlinkMessage m, int replyCommand) {
    if (m.type() != familyId || m.genlCommand() != replyCommand) {
      throw NetlinkException.protocol("unexpected reply type " + m.type() + " command " + m.genlCommand()
          + ", expected " + familyId + "/" + replyCommand);
    }
    return m;
  }

  /** Version and connection table size ({@code GET_INFO}). */
  public IpvsInfo info() {
    return single("get info", IpvsCodec::getInfo, IpvsWire.CMD_SET_INFO, IpvsCodec::decodeInfo);
  }

  /** Every virtual service with its counters (a {@code GET_SERVICE} dump). */
  public List<IpvsService> services() {
    return dump("list services", IpvsCodec.dumpServices(family()), IpvsWire.CMD_NEW_SERVICE,
        IpvsCodec::decodeService);
  }

  /** One virtual service; fails with {@code NO_SUCH_SERVICE} if it does not exist. */
  public IpvsService service(ServiceKey key) {
    return single("get service " + key, f -> IpvsCodec.getService(f, key), IpvsWire.CMD_NEW_SERVICE,
        IpvsCodec::decodeService);
  }

  /** ipvsadm {@code -A}. */
  public void addService(VirtualService s) {
    call("add service " + s.key(), f -> IpvsCodec.newService(f, s));
  }

  /** ipvsadm {@code -E}. */
  public void updateService(VirtualService s) {
    call("edit service " + s.key(), f -> IpvsCodec.setService(f, s));
  }

  /** ipvsadm {@code -D}. */
  public void deleteService(ServiceKey key) {
    call("delete service " + key, f -> IpvsCodec.delService(f, key));
  }

  /** The real servers of a service with their connection counts and counters. */
  public List<IpvsDestination> destinations(ServiceKey key) {
    return dump("list real servers of " + key, IpvsCodec.dumpDests(family(), key), IpvsWire.CMD_NEW_DEST,
        m -> IpvsCodec.decodeDest(m, key.family()));
  }

  /** ipvsadm {@code -a}. */
  public void addRealServer(ServiceKey key, RealServer r) {
    call("add real server " + r.endpoint() + " to " + key, f -> IpvsCodec.newDest(f, key, r));
  }

  /** ipvsadm {@code -e}. */
  public void updateRealServer(ServiceKey key, RealServer r) {
    call("edit real server " + r.endpoint() + " of " + key, f -> IpvsCodec.setDest(f, key, r));
  }

  /** ipvsadm {@code -d}. */
  public void deleteRealServer(ServiceKey key, RealServer.Endpoint e) {
    call("delete real server " + e + " of " + key, f -> IpvsCodec.delDest(f, key, e));
  }

  /** ipvsadm {@code -C}: deletes every service. */
  public void flush() {
    call("flush", IpvsCodec::flush);
  }

  /** ipvsadm {@code -Z}: zeroes every counter. */
  public void zero() {
    call("zero counters", f -> IpvsCodec.zero(f, null));
  }

  /** ipvsadm {@code -Z -t ...}: zeroes one service's counters. */
  public void zero(ServiceKey key) {
    call("zero counters of " + key, f -> IpvsCodec.zero(f, key));
  }

  /** ipvsadm {@code -L --timeout}. */
  public IpvsTimeouts timeouts() {
    return single("get timeouts", IpvsCodec::getConfig, IpvsWire.CMD_SET_CONFIG, IpvsCodec::decodeConfig);
  }

  /** ipvsadm {@code --set}; a 0 leaves that timeout as it is. */
  public void setTimeouts(IpvsTimeouts t) {
    call("set timeouts", f -> IpvsCodec.setConfig(f, t));
  }

  /** The running sync daemons (ipvsadm {@code -L --daemon}). */
  public List<SyncDaemon> daemons() {
    return dump("list sync daemons", IpvsCodec.dumpDaemons(family()), IpvsWire.CMD_NEW_DAEMON,
        IpvsCodec::decodeDaemon);
  }

  /** ipvsadm {@code --start-daemon}. */
  public void startDaemon(SyncDaemon d) {
    call("start " + d.state() + " sync daemon", f -> IpvsCodec.newDaemon(f, d));
  }

  /**
   * ipvsadm {@code --stop-daemon}. The kernel answers nothing when the daemon's thread had not run
   * yet, as right after {@link #startDaemon}: {@code stop_sync_thread}
   * (net/netfilter/ipvs/ip_vs_sync.c) stops the daemon all the same but returns what {@code
   * kthread_stop} says of a thread that never started, {@code -EINTR}, and netlink sends no ack
   * for that. The request is fenced so that this silence shows at once (see {@link
   * NetlinkConnection#requestFenced}); the daemon list then says whether the daemon stopped.
   */
  public void stopDaemon(SyncDaemon.State state) {
    String operation = "stop " + state + " sync daemon";
    try {
      connection.requestFenced(IpvsCodec.delDaemon(family(), state));
    } catch (NetlinkException e) {
      if (e.kind() != NetlinkException.Kind.KERNEL || !Errno.EINTR.is(e.errno())
          || daemons().stream().anyMatch(d -> d.state() == state)) {
        throw IpvsException.of(operation, e);
      }
      LOG.debug("{}: stopped before its thread ran, the kernel sent no answer", operation);
    }
  }

  @Override
  public List<TableEntry> read() {
    List<TableEntry> out = new ArrayList<>();
    for (IpvsService s : services()) {
      List<RealServer> servers = new ArrayList<>();
      for (IpvsDestination d : destinations(s.service().key())) {
        servers.add(d.realServer());
      }
      out.add(new TableEntry(s.service(), servers));
    }
    return out;
  }

  @Override
  public ApplyResult apply(List<TableOp> ops) {
    Objects.requireNonNull(ops, "ops");
    int f = family();
    List<MessageBuilder> requests = new ArrayList<>(ops.size());
    for (TableOp op : ops) {
      requests.add(encode(f, op));
    }
    List<NetlinkConnection.Reply> replies;
    try {
      replies = connection.pipeline(requests, APPLY_WINDOW);
    } catch (NetlinkException e) {
      throw IpvsException.of("apply " + ops.size() + " ops", e);
    }
    List<ApplyResult.Failure> failures = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      NetlinkException e = replies.get(i).error();
      if (e != null) {
        failures.add(new ApplyResult.Failure(i, ops.get(i), IpvsException.of(describe(ops.get(i)), e)));
      }
    }
    if (!failures.isEmpty()) {
      LOG.debug("{} of {} IPVS ops failed", failures.size(), ops.size());
    }
    return new ApplyResult(ops.size(), failures);
  }

  private static MessageBuilder encode(int f, TableOp op) {
    if (op instanceof TableOp.AddService a) {
      return IpvsCodec.newService(f, a.service());
    } else if (op instanceof TableOp.UpdateService u) {
      return IpvsCodec.setService(f, u.service());
    } else if (op instanceof TableOp.DeleteService d) {
      return IpvsCodec.delService(f, d.serviceKey());
    } else if (op instanceof TableOp.AddRealServer a) {
      return IpvsCodec.newDest(f, a.serviceKey(), a.realServer());
    } else if (op instanceof TableOp.UpdateRealServer u) {
      return IpvsCodec.setDest(f, u.serviceKey(), u.realServer());
    } else if (op instanceof TableOp.DeleteRealServer d) {
      return IpvsCodec.delDest(f, d.serviceKey(), d.endpoint());
    }
    throw new IllegalArgumentException("unknown op " + op);
  }

  private static String describe(TableOp op) {
    if (op instanceof TableOp.AddService) {
      return "add service " + op.serviceKey();
    } else if (op instanceof TableOp.UpdateService) {
      return "edit service " + op.serviceKey();
    } else if (op instanceof TableOp.DeleteService) {
      return "delete service " + op.serviceKey();
    } else if (op instanceof TableOp.AddRealServer a) {
      return "add real server " + a.realServer().endpoint() + " to " + op.serviceKey();
    } else if (op instanceof TableOp.UpdateRealServer u) {
      return "edit real server " + u.realServer().endpoint() + " of " + op.serviceKey();
    } else if (op instanceof TableOp.DeleteRealServer d) {
      return "delete real server " + d.endpoint() + " of " + op.serviceKey();
    }
    return op.toString();
  }

  @Override
  public void close() {
    connection.close();
  }
}
