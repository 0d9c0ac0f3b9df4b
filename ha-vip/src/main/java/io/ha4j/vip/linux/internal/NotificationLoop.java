package io.ha4j.vip.linux.internal;

import io.ha4j.api.Cancellable;
import io.ha4j.api.address.AddressException;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the rtnetlink notification thread: receives datagrams, hands their messages to the
 * sink, and has the owner resynchronise when notifications were lost. An unexpected receive error
 * does not end the thread, which would leave the owner deaf to link and address changes for good:
 * the socket is closed and opened again (at most once per pause), and the owner resynchronises,
 * since whatever happened meanwhile was not heard.
 */
public final class NotificationLoop implements Runnable, Cancellable {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationLoop.class);

  /** A notification socket as the loop uses it: {@link RouteMonitorSocket} in production. */
  public interface Source {
    /** One datagram, a timeout, an overrun or the end; throws on any other error. */
    RouteMonitorSocket.Received receive();

    /** Wakes the receiver at its next poll with CLOSED. */
    void stop();

    /** Releases the socket. */
    void close();
  }

  private final Supplier<Source> reopen;
  private final Consumer<NetlinkMessage> sink;
  private final Runnable lost;
  private final long pauseNanos;
  private final AtomicLong recoveries = new AtomicLong();
  private volatile boolean stopped;
  private volatile @Nullable Source current;

  /**
   * @param first the socket opened already (its errors are the caller's at subscription)
   * @param reopen opens a new socket after an unexpected error
   * @param pauseMillis the least time between two reopenings
   */
  public NotificationLoop(Source first, Supplier<Source> reopen, Consumer<NetlinkMessage> sink, Runnable lost,
      long pauseMillis) {
    this.current = Objects.requireNonNull(first, "first");
    this.reopen = Objects.requireNonNull(reopen, "reopen");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.lost = Objects.requireNonNull(lost, "lost");
    this.pauseNanos = TimeUnit.MILLISECONDS.toNanos(pauseMillis);
  }

  /** How often the loop recovered from a receive error. */
  public long recoveries() {
    return recoveries.get();
  }

  @Override
  public void run() {
    try {
      while (!stopped) {
        Source s = current;
        if (s == null) {
          s = reopened();
          if (s == null) {
            continue;
          }
        }
        RouteMonitorSocket.Received r;
        try {
          r = s.receive();
        } catch (AddressException | NetlinkException e) {
          LOG.error("rtnetlink notifications failed ({}); reopening the socket and resynchronising", e.getMessage());
          recoveries.incrementAndGet();
          current = null;
          s.close();
          continue;
        }
        switch (r.status()) {
          case CLOSED -> stopped = true;
          case TIMEOUT -> { }
          case OVERRUN -> {
            LOG.info("rtnetlink notifications were dropped (ENOBUFS); resynchronising");
            lost.run();
          }
          case DATA -> deliver(Objects.requireNonNull(r.datagram()));
        }
      }
    } finally {
      Source s = current;
      if (s != null) {
        s.close();
      }
    }
  }

  /** A new socket after a pause, or null (stopped, or the open failed: the next round tries again). */
  private @Nullable Source reopened() {
    LockSupport.parkNanos(pauseNanos);
    if (stopped) {
      return null;
    }
    try {
      Source s = reopen.get();
      current = s;
      // Changes between the failure and now were not heard either.
      lost.run();
      return s;
    } catch (RuntimeException e) {
      LOG.error("could not reopen the rtnetlink notification socket: {}", e.getMessage());
      return null;
    }
  }

  private void deliver(ByteBuffer datagram) {
    List<NetlinkMessage> messages;
    try {
      messages = NetlinkMessage.parseAll(datagram);
    } catch (NetlinkException e) {
      LOG.debug("dropped a malformed notification datagram: {}", e.getMessage());
      return;
    }
    for (NetlinkMessage m : messages) {
      try {
        sink.accept(m);
      } catch (RuntimeException e) {
        LOG.warn("notification handler failed", e);
      }
    }
  }

  /** Stops the loop at the socket's next poll. */
  @Override
  public void cancel() {
    stopped = true;
    Source s = current;
    if (s != null) {
      s.stop();
    }
  }
}
