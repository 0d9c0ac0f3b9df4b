package io.ha4j.heartbeat;

import io.ha4j.api.NodeId;
import io.ha4j.api.Scheduler;
import io.ha4j.api.transport.Datagram;
import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Where received datagrams enter an election: screened on the thread that received them, then
 * queued, bounded, for the election's scheduler (issue 16 item 5). Screening is, in order: the
 * source among the configured peers (unicast only: {@link DropReason#UNKNOWN_SOURCE}); then
 * {@link ReceivePath#screen} on a wire format of its own (structure, cluster, group, key id, the
 * HMAC or checksum, TTL); then our own node id, told apart from a duplicate one by the
 * incarnation. What passes waits in a queue of {@link #CAPACITY}; what does not fit is counted as
 * {@link DropReason#QUEUE_FULL}. So a flood costs the receive thread and the socket's buffer, not
 * the heap or the election's thread, and an advertisement is never behind more than a queue's
 * worth of others.
 *
 * <p>It accepts datagrams from any thread (a transport's receive thread, or the scheduler itself
 * for a transport that hands over there); the screening wire format is used by one thread at a
 * time.
 */
final class Intake implements Consumer<Datagram> {

  /** Datagrams that passed the screen and wait for the election: many times a burst of adverts. */
  static final int CAPACITY = 512;

  /** A screened datagram, what it decoded to, and whether it carries our node id though we did not send it. */
  record Screened(Datagram datagram, AdvertisementCodec.Valid valid, boolean duplicateNodeId) {}

  private final NodeId self;
  private final WireFormat screening;
  private final @Nullable Set<InetAddress> peers;
  private final ReceivePath path;
  private final Advertiser advertiser;
  private final Scheduler scheduler;
  private final Consumer<Screened> election;
  private final ArrayBlockingQueue<Screened> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicBoolean drainQueued = new AtomicBoolean();

  /**
   * An intake for {@code config}'s election that screens with {@code screening} (not used
   * elsewhere), counts through {@code path}, and hands what passes to {@code election} on {@code
   * scheduler}.
   */
  Intake(HeartbeatConfig config, WireFormat screening, ReceivePath path, Advertiser advertiser, Scheduler scheduler,
      Consumer<Screened> election) {
    this.self = config.nodeId();
    this.screening = screening;
    this.peers = config.unicastPeers();
    this.path = path;
    this.advertiser = advertiser;
    this.scheduler = scheduler;
    this.election = election;
  }

  @Override
  public void accept(Datagram d) {
    path.received();
    Screened s;
    try {
      s = screen(d);
    } catch (RuntimeException e) {
      path.failed(d, e);
      return;
    }
    if (s == null) {
      return;
    }
    if (!queue.offer(s)) {
      path.drop(DropReason.QUEUE_FULL, d);
      return;
    }
    if (drainQueued.compareAndSet(false, true)) {
      scheduler.execute(this::drain);
    }
  }

  private @Nullable Screened screen(Datagram d) {
    Set<InetAddress> p = peers;
    if (p != null && !p.contains(d.source().getAddress())) {
      path.drop(DropReason.UNKNOWN_SOURCE, d);
      return null;
    }
    AdvertisementCodec.Valid v;
    synchronized (screening) {
      v = path.screen(d, screening);
    }
    if (v == null) {
      return null;
    }
    Advertisement ad = v.advertisement();
    boolean duplicate = false;
    if (ad.nodeId().equals(self)) {
      // Formats without incarnations (VRRP) know themselves by the source address, and have
      // dropped their own packets already.
      if (!screening.replayProtected() || advertiser.sentUnder(ad.incarnation())) {
        path.drop(DropReason.OWN_NODE_ID, d);
        return null;
      }
      duplicate = true;
    }
    return new Screened(d, v, duplicate);
  }

  /** On the scheduler: a queue's worth at most, then the timers get their turn. */
  private void drain() {
    drainQueued.set(false);
    for (int i = 0; i < CAPACITY; i++) {
      Screened s = queue.poll();
      if (s == null) {
        return;
      }
      election.accept(s);
    }
    if (!queue.isEmpty() && drainQueued.compareAndSet(false, true)) {
      scheduler.execute(this::drain);
    }
  }
}
