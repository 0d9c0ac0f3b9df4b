package io.ha4j.heartbeat;

import io.ha4j.api.transport.Datagram;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts and reports advertisements under this member's own node id that it did not send (another
 * incarnation): two members configured with one id, which without this drop each other's adverts
 * as their own and both stay master (issue 16 item 7). The election then treats the other as a
 * peer, and a tie of priorities goes to the higher incarnation ({@link MasterState}), the same
 * way on both sides. Logged at ERROR at most once a minute. Guarded by the election's lock.
 */
final class DuplicateNodeIds {

  private final Logger log;
  private final String name;
  private final AtomicLong heard = new AtomicLong();
  private final LogThrottle errors = new LogThrottle(ReceivePath.WARNING_INTERVAL_NANOS);

  DuplicateNodeIds(String name, Logger log) {
    this.log = log;
    this.name = name;
  }

  /** An accepted advertisement {@code ad} in {@code d} carries our node id; we are at {@code ourIncarnation}. */
  void heard(Advertisement ad, Datagram d, long ourIncarnation, long nowNanos) {
    heard.incrementAndGet();
    long held = errors.admit(nowNanos);
    if (held >= 0) {
      log.error("{}: {} from {} carries our own node id with incarnation {}, ours is {}: two members are"
              .concat(" configured with the same node id; ties go to the higher incarnation ({} more since)"),
          name, ad, d.source(), Long.toHexString(ad.incarnation()), Long.toHexString(ourIncarnation), held);
    }
  }

  /** Advertisements heard under our node id from another member. */
  long count() {
    return heard.get();
  }
}
