package io.ha4j.heartbeat;

import io.ha4j.api.Role;
import io.ha4j.api.transport.DatagramTransport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Sends an election's advertisements: {@link HeartbeatConfig#advertisementCopies()} copies to
 * every destination, each copy with a sequence number of its own in this start's incarnation.
 * Every copy is encoded before the first is sent, so that the copies leave back to back: a
 * backup's master-down timer runs from the last one it hears. Counts the advertisements sent.
 */
final class Advertiser {

  private final Logger log;

  private final HeartbeatConfig config;
  private final WireFormat wireFormat;
  private final byte[] vipDigest;
  private final DatagramTransport transport;
  private final String name;
  private final AtomicLong sent = new AtomicLong();

  // Written under the election's lock; the incarnations are read by the receive thread too.
  private volatile long incarnation = Long.MIN_VALUE;
  private volatile long previousIncarnation = Long.MIN_VALUE;
  private long sequence;

  Advertiser(HeartbeatConfig config, WireFormat wireFormat, byte[] vipDigest, DatagramTransport transport,
      String name, Logger log) {
    this.log = log;
    this.config = config;
    this.wireFormat = wireFormat;
    this.vipDigest = vipDigest;
    this.transport = transport;
    this.name = name;
  }

  /**
   * Begins an incarnation for a start: the configured source's next value, but always above the
   * previous one (a source that repeats itself must not make peers take us for a replay), and
   * sequence numbers from 1 again.
   */
  void newIncarnation() {
    previousIncarnation = incarnation;
    incarnation = Math.max(config.incarnations().getAsLong(), incarnation + 1);
    sequence = 0;
  }

  /** Sends an advertisement of {@code priority} and {@code state}. Under the election's lock. */
  void send(int priority, Role state) {
    List<Outgoing> packets = new ArrayList<>();
    for (int copy = 0; copy < config.advertisementCopies(); copy++) {
      encodeOnce(priority, state, packets);
    }
    for (Outgoing o : packets) {
      try {
        transport.send(o.destination(), o.packet());
      } catch (RuntimeException e) {
        log.warn("{}: sending to {} failed", name, o.destination(), e);
      }
    }
    // Counted as before: a transport that throws still had the advertisement handed to it.
    if (!packets.isEmpty()) {
      sent.incrementAndGet();
    }
  }

  /** This start's incarnation. */
  long incarnation() {
    return incarnation;
  }

  /**
   * Whether this start or the one before sent under {@code incarnation}: a looped-back
   * advertisement of the previous start may still be on its way after a restart.
   */
  boolean sentUnder(long incarnation) {
    return incarnation == this.incarnation || incarnation == previousIncarnation;
  }

  /**
   * The next advertisement of this incarnation, with a sequence number of its own, for {@code
   * priority} and {@code state}, to be sent by the caller (an answer to a freshness challenge).
   */
  Advertisement next(int priority, Role state) {
    return new Advertisement(config.clusterId(), config.groupId(), config.nodeId(), priority, state,
        config.advertisementInterval(), incarnation, ++sequence, vipDigest);
  }

  /** Advertisements sent. */
  long sent() {
    return sent.get();
  }

  private record Outgoing(InetSocketAddress destination, ByteBuffer packet) {}

  /** One datagram per destination of an advertisement, with a sequence number of its own. */
  private void encodeOnce(int priority, Role state, List<Outgoing> packets) {
    Advertisement ad = next(priority, state);
    boolean any = false;
    for (InetSocketAddress dest : config.destinations()) {
      try {
        ByteBuffer packet = wireFormat.encode(ad, dest);
        if (packet == null) {
          continue; // not expressible in this wire format (VRRP has no step-down notice)
        }
        any = true;
        packets.add(new Outgoing(dest, packet));
      } catch (RuntimeException e) {
        log.warn("{}: encoding for {} failed", name, dest, e);
      }
    }
    if (any) {
      log.trace("{}: sent {}", name, ad);
    }
  }
}
