package io.ha4j.netlink;

import io.ha4j.api.Clock;
import io.ha4j.linux.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/reply engine over a {@link NetlinkTransport}: numbers each request, matches replies by
 * sequence number, checks that every reply is addressed to this socket's port id, turns
 * {@code NLMSG_ERROR} into {@link NetlinkException}s with the errno and extended-ack text, collects
 * multi-part dumps until {@code NLMSG_DONE} (restarting a dump the kernel interrupted or whose
 * replies it dropped), and pipelines many acked requests in windows.
 *
 * <p>Replies with a sequence number this connection is not waiting for (late answers to a request
 * that timed out) are dropped. A reply never takes longer than the timeout to arrive; the time is
 * read from the injected {@link Clock}. Methods are synchronized: one exchange at a time.
 */
public final class NetlinkConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NetlinkConnection.class);

  /** How long to wait for each reply unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** Requests in flight in {@link #pipeline} unless told otherwise. */
  public static final int DEFAULT_WINDOW = 64;
  /** How often a dump is restarted after {@code ENOBUFS} or {@code NLM_F_DUMP_INTR}. */
  public static final int DUMP_ATTEMPTS = 4;

  private final NetlinkTransport transport;
  private final Clock clock;
  private final Duration timeout;
  private int sequence;
  private long staleReplies;

  public NetlinkConnection(NetlinkTransport transport) {
    this(transport, Clock.system(), DEFAULT_TIMEOUT);
  }

  /**
   * @param timeout how long to wait for each reply (positive)
   */
  public NetlinkConnection(NetlinkTransport transport, Clock clock, Duration timeout) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    // Start from the clock so that a reopened socket's replies are not mistaken for ours.
    this.sequence = (int) (clock.nanoTime() >>> 10) & 0x3fffffff;
  }

  /** The transport's port id. */
  public int portId() {
    return transport.portId();
  }

  /** Replies dropped because no request was waiting for their sequence number. */
  public synchronized long staleReplies() {
    return staleReplies;
  }

  private int nextSequence() {
    sequence++;
    if (sequence == 0) {
      sequence = 1;
    }
    return sequence;
  }

  /**
   * Sends {@code request} with {@code NLM_F_REQUEST | NLM_F_ACK} and waits for the ack.
   *
   * @return the data messages that came before the ack (e.g. the answer of a GET)
   * @throws NetlinkException the kernel's error, a timeout, an overrun or a malformed reply
   */
  public synchronized List<NetlinkMessage> request(MessageBuilder request) {
    return only(pipelineLocked(List.of(request), 1, false));
  }

  /**
   * {@link #request} for a request the kernel may leave without any answer. A handler that returns
   * {@code EINTR} gets no ack: {@code netlink_rcv_skb} (net/netlink/af_netlink.c) skips it and goes
   * on with the datagram's next message. ip_vs does that when it stops a sync daemon whose thread
   * had not run yet. So an {@code NLMSG_NOOP} asking for an ack follows the request in the same
   * datagram: {@code netlink_rcv_skb} acks control messages itself, after the request, and when
   * that ack comes and the request's did not, the request was carried out and left unanswered.
   *
   * @throws NetlinkException as {@link #request}, and a {@link NetlinkException.Kind#KERNEL} error
   *     with errno {@code EINTR} for a request left unanswered
   */
  public synchronized List<NetlinkMessage> requestFenced(MessageBuilder request) {
    return only(pipelineLocked(List.of(request), 1, true));
  }

  private static List<NetlinkMessage> only(List<Reply> replies) {
    Reply only = replies.get(0);
    NetlinkException e = only.error();
    if (e != null) {
      throw e;
    }
    return only.messages();
  }

  /**
   * Sends {@code request} as a dump ({@code NLM_F_DUMP}) and collects every part until
   * {@code NLMSG_DONE}. A dump the kernel marks inconsistent ({@code NLM_F_DUMP_INTR}) or whose
   * replies were dropped ({@code ENOBUFS}) is restarted, up to {@link #DUMP_ATTEMPTS} times.
   */
  public synchronized List<NetlinkMessage> dump(MessageBuilder request) {
    request.addFlags(Netlink.F_REQUEST | Netlink.F_ACK | Netlink.F_DUMP);
    NetlinkException last = null;
    for (int attempt = 1; attempt <= DUMP_ATTEMPTS; attempt++) {
      int seq = nextSequence();
      transport.send(request.build(seq, transport.portId()));
      try {
        List<NetlinkMessage> parts = collectDump(seq);
        if (parts != null) {
          return parts;
        }
        LOG.debug("dump of type {} interrupted by a change, restarting (attempt {})", request.type(), attempt);
        last = new NetlinkException(NetlinkException.Kind.PROTOCOL, 0,
            "dump stayed inconsistent (NLM_F_DUMP_INTR) after " + attempt + " attempts", null, null);
      } catch (NetlinkException e) {
        if (e.kind() != NetlinkException.Kind.OVERRUN) {
          throw e;
        }
        LOG.debug("dump of type {} overran the receive buffer, restarting (attempt {})", request.type(), attempt);
        last = e;
      }
    }
    throw Objects.requireNonNull(last);
  }

  /** The dump's parts, or null if the kernel flagged it as interrupted. */
  private @Nullable List<NetlinkMessage> collectDump(int seq) {
    List<NetlinkMessage> parts = new ArrayList<>();
    boolean interrupted = false;
    long deadline = deadline();
    while (true) {
      for (NetlinkMessage m : receive(deadline)) {
        if (m.sequence() != seq) {
          staleReplies++;
          continue;
        }
        checkPort(m);
        deadline = deadline();
        if ((m.flags() & Netlink.F_DUMP_INTR) != 0) {
          interrupted = true;
        }
        if (m.isDone()) {
          int err = m.payload().remaining() >= 4 ? m.payload().getInt(m.payload().position()) : 0;
          if (err < 0) {
            throw new NetlinkException(NetlinkException.Kind.KERNEL, -err, "dump failed",
                extendedAck(m, 4), null);
          }
          return interrupted ? null : parts;
        }
        if (m.isError()) {
          NetlinkException e = errorOf(m);
          if (e != null) {
            throw e;
          }
          // An ack without NLMSG_DONE: the family answered the dump with a single message.
          return interrupted ? null : parts;
        }
        if (m.type() < Netlink.NLMSG_MIN_TYPE) {
          continue;
        }
        parts.add(m);
      }
    }
  }

  /** The outcome of one pipelined request: the data messages before its ack, or its error. */
  public record Reply(List<NetlinkMessage> messages, @Nullable NetlinkException error) {
    public Reply {
      messages = List.copyOf(messages);
    }

    public boolean ok() {
      return error == null;
    }
  }

  /**
   * Sends every request with {@code NLM_F_REQUEST | NLM_F_ACK}, at most {@code window} awaiting
   * their ack at a time (several per datagram), and matches the acks by sequence number. The kernel
   * handles the messages of a datagram in order and goes on after a failed one, so the result has
   * one {@link Reply} per request, in order. A timeout or overrun fails the requests in flight with
   * that error; the rest are still sent.
   */
  public synchronized List<Reply> pipeline(List<MessageBuilder> requests, int window) {
    return pipelineLocked(requests, window, false);
  }

  /**
   * With {@code fenced}, each datagram ends with an {@code NLMSG_NOOP} asking for an ack (see
   * {@link #requestFenced}); its ack completes the datagram's requests still unanswered.
   */
  private List<Reply> pipelineLocked(List<MessageBuilder> requests, int window, boolean fenced) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, was " + window);
    }
    int n = requests.size();
    Reply[] results = new Reply[n];
    List<List<NetlinkMessage>> data = new ArrayList<>(n);
    Map<Integer, Integer> inFlight = new HashMap<>();
    int next = 0;
    int done = 0;
    int fence = 0; // the sequence number of the datagram's NLMSG_NOOP, 0 for none
    // (a fence's ack comes right after the acks before it: waiting for it leaves no stale reply behind)
    while (done < n || fence != 0) {
      if (inFlight.isEmpty() && fence == 0) {
        int batchBytes = 0;
        List<ByteBuffer> batch = new ArrayList<>();
        while (next < n && inFlight.size() < window && batchBytes < 16 * 1024) {
          MessageBuilder m = requests.get(next).addFlags(Netlink.F_REQUEST | Netlink.F_ACK);
          int seq = nextSequence();
          ByteBuffer b = m.build(seq, transport.portId());
          batch.add(b);
          batchBytes += Netlink.align(b.remaining());
          inFlight.put(seq, next);
          data.add(new ArrayList<>());
          next++;
        }
        if (fenced) {
          fence = nextSequence();
          ByteBuffer b = new MessageBuilder(Netlink.NLMSG_NOOP, Netlink.F_REQUEST | Netlink.F_ACK)
              .build(fence, transport.portId());
          batch.add(b);
          batchBytes += Netlink.align(b.remaining());
        }
        ByteBuffer datagram = ByteBuffer.allocate(batchBytes).order(ByteOrder.nativeOrder());
        for (ByteBuffer b : batch) {
          datagram.put(b);
          datagram.position(Netlink.align(datagram.position()));
        }
        datagram.flip();
        transport.send(datagram);
      }
      List<NetlinkMessage> received;
      try {
        received = receive(deadline());
      } catch (NetlinkException e) {
        if (e.kind() != NetlinkException.Kind.TIMEOUT && e.kind() != NetlinkException.Kind.OVERRUN
            && e.kind() != NetlinkException.Kind.PROTOCOL) {
          throw e;
        }
        for (int idx : inFlight.values()) {
          results[idx] = new Reply(data.get(idx), e);
          done++;
        }
        inFlight.clear();
        fence = 0;
        continue;
      }
      for (NetlinkMessage m : received) {
        Integer idx = inFlight.get(m.sequence());
        if (idx == null && fence != 0 && m.sequence() == fence && m.isError() && portError(m) == null) {
          // Everything before the fence has been handled: what is still in flight got no answer.
          for (int unanswered : inFlight.values()) {
            results[unanswered] = new Reply(data.get(unanswered), new NetlinkException(NetlinkException.Kind.KERNEL,
                Errno.EINTR.number(), "the kernel sent no answer (its handler returned EINTR)", null, null));
            done++;
          }
          inFlight.clear();
          fence = 0;
          continue;
        }
        if (idx == null) {
          staleReplies++;
          continue;
        }
        NetlinkException portError = portError(m);
        if (portError != null) {
          results[idx] = new Reply(data.get(idx), portError);
          inFlight.remove(m.sequence());
          done++;
          continue;
        }
        if (m.isError()) {
          NetlinkException e;
          try {
            e = errorOf(m);
          } catch (NetlinkException malformed) {
            e = malformed;
          }
          results[idx] = new Reply(data.get(idx), e);
          inFlight.remove(m.sequence());
          done++;
        } else if (m.type() >= Netlink.NLMSG_MIN_TYPE) {
          data.get(idx).add(m);
        }
      }
    }
    return List.of(results);
  }

  private long deadline() {
    return clock.nanoTime() + timeout.toNanos();
  }

  private List<NetlinkMessage> receive(long deadline) {
    long left = deadline - clock.nanoTime();
    if (left <= 0) {
      throw new NetlinkException(NetlinkException.Kind.TIMEOUT, 0,
          "no netlink reply within " + timeout, null, null);
    }
    ByteBuffer datagram = transport.receive(Duration.ofNanos(left));
    List<NetlinkMessage> messages = NetlinkMessage.parseAll(datagram);
    if (LOG.isTraceEnabled()) {
      for (NetlinkMessage m : messages) {
        LOG.trace("recv type={} flags={} seq={} pid={} len={}", m.type(), m.flags(),
            Integer.toUnsignedString(m.sequence()), Integer.toUnsignedString(m.portId()), m.payload().remaining());
      }
    }
    return messages;
  }

  private void checkPort(NetlinkMessage m) {
    NetlinkException e = portError(m);
    if (e != null) {
      throw e;
    }
  }

  private @Nullable NetlinkException portError(NetlinkMessage m) {
    if (m.portId() != transport.portId()) {
      return NetlinkException.protocol("reply for port id " + Integer.toUnsignedString(m.portId())
          + " arrived on port id " + Integer.toUnsignedString(transport.portId()));
    }
    return null;
  }

  /**
   * The error an {@code NLMSG_ERROR} message carries, or null for an ack (errno 0). Layout
   * ({@code struct nlmsgerr}): int error (negative errno), the request's {@code nlmsghdr}, the
   * request's payload unless {@code NLM_F_CAPPED}, then extended-ack attributes if
   * {@code NLM_F_ACK_TLVS}.
   */
  public static @Nullable NetlinkException errorOf(NetlinkMessage m) {
    ByteBuffer p = m.payload();
    if (p.remaining() < 4 + Netlink.HEADER_LENGTH) {
      throw NetlinkException.protocol("NLMSG_ERROR of " + p.remaining() + " bytes, needs "
          + (4 + Netlink.HEADER_LENGTH));
    }
    int error = p.getInt(p.position());
    if (error == 0) {
      return null;
    }
    if (error > 0) {
      throw NetlinkException.protocol("NLMSG_ERROR with positive error " + error);
    }
    int tlvOffset;
    if ((m.flags() & Netlink.F_CAPPED) != 0) {
      tlvOffset = 4 + Netlink.HEADER_LENGTH;
    } else {
      long origLen = Integer.toUnsignedLong(p.getInt(p.position() + 4));
      tlvOffset = (int) Math.min(Integer.MAX_VALUE, 4 + ((origLen + 3) & ~3L));
    }
    return new NetlinkException(NetlinkException.Kind.KERNEL, -error, "kernel refused request",
        extendedAck(m, tlvOffset), null);
  }

  private static @Nullable String extendedAck(NetlinkMessage m, int tlvOffset) {
    if ((m.flags() & Netlink.F_ACK_TLVS) == 0) {
      return null;
    }
    ByteBuffer p = m.payload();
    if (tlvOffset > p.remaining()) {
      throw NetlinkException.protocol("extended-ack attributes start beyond the message");
    }
    Attributes tlvs = Attributes.parse(p.duplicate().position(p.position() + tlvOffset));
    return tlvs.stringOrNull(Netlink.NLMSGERR_ATTR_MSG);
  }

  @Override
  public void close() {
    transport.close();
  }
}
