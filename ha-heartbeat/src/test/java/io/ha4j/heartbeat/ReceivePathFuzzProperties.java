package io.ha4j.heartbeat;

import static io.ha4j.heartbeat.ElectionFixture.CLUSTER;
import static io.ha4j.heartbeat.ElectionFixture.GROUP;
import static io.ha4j.heartbeat.ElectionFixture.INTERVAL;
import static io.ha4j.heartbeat.ElectionFixture.KEY;
import static io.ha4j.heartbeat.ElectionFixture.NO_VIPS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.NodeId;
import io.ha4j.api.Role;
import io.ha4j.api.transport.Datagram;
import io.ha4j.heartbeat.Advertisement;
import io.ha4j.heartbeat.AdvertisementCodec;
import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatKey;
import io.ha4j.heartbeat.HeartbeatStats;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random and mutated packets through the election's receive path (package documentation "What a
 * receiver checks"; design rule 6: malformed or unauthenticated packets are counted and dropped,
 * never thrown, and never change state). 40 tries x 25,000 packets = 1,000,000 packets per run.
 */
class ReceivePathFuzzProperties {

  static final int PACKETS_PER_TRY = 25_000;
  static final AtomicLong TOTAL = new AtomicLong();
  static final Map<DropReason, Long> BY_REASON = new EnumMap<>(DropReason.class);

  static final HeartbeatKey WRONG_SECRET =
      new HeartbeatKey(KEY.id(), "not-the-shared-secret!".getBytes(StandardCharsets.US_ASCII));
  static final HeartbeatKey UNKNOWN_ID = new HeartbeatKey(9, KEY.secret());
  static final InetSocketAddress SOURCE = new InetSocketAddress("198.51.100.2", 5151);

  @Property(tries = 40, shrinking = ShrinkingMode.OFF)
  void invalidPacketsAreCountedAndDroppedWithoutStateChange(@ForAll long seed, @ForAll boolean asMaster) {
    Random random = new Random(seed);
    ElectionFixture f = new ElectionFixture(100).started();
    List<ByteBuffer> delivered = new ArrayList<>();
    if (asMaster) {
      f.advance(f.masterDownInterval());
      // Make m a known sender (incarnation 1), so that its older incarnation 0 is a replay. A
      // priority-0 advert makes the master advertise now, which keeps the Adver_Timer phase.
      ByteBuffer leaving = f.encode("m", 0, INTERVAL);
      delivered.add(leaving);
      f.deliver(leaving);
    } else {
      for (int i = 0; i < 5; i++) {
        ByteBuffer legit = f.encode("m", 200, INTERVAL);
        delivered.add(legit);
        f.deliver(legit);
        f.advance(Duration.ofMillis(700));
      }
    }
    Role role = f.role();
    HeartbeatStats before = f.election.stats();
    int sentBefore = f.sent().size();
    int changesBefore = f.changes.size();

    Mutations m = new Mutations(random, f, delivered);
    Consumer<Datagram> receive = f.transport.receiver();
    long thrown = 0;
    for (int i = 0; i < PACKETS_PER_TRY; i++) {
      ByteBuffer packet = m.next();
      int ttl = m.lastTtl;
      try {
        receive.accept(new Datagram(SOURCE, packet, ttl, f.clock.nanoTime()));
      } catch (Throwable t) {
        thrown++;
      }
    }
    f.clock.runDue();

    HeartbeatStats after = f.election.stats();
    assertEquals(0, thrown, "exceptions out of the receive path");
    assertEquals(0, after.dropped(DropReason.INTERNAL_ERROR));
    assertEquals(before.accepted(), after.accepted(), "an invalid packet was accepted");
    assertEquals(before.droppedTotal() + PACKETS_PER_TRY, after.droppedTotal());
    assertEquals(role, f.role());
    assertEquals(sentBefore, f.sent().size(), "an invalid packet made us advertise");
    assertEquals(changesBefore, f.changes.size());
    // No timer was reset: the next timer fires exactly when it would have without the packets.
    if (asMaster) {
      // It became master (and advertised) at this very instant.
      f.advance(INTERVAL.minusNanos(1));
      assertEquals(sentBefore, f.sent().size());
      f.advance(Duration.ofNanos(1));
      assertEquals(sentBefore + 1, f.sent().size(), "Adver_Timer kept its deadline");
    } else {
      f.advance(f.masterDownInterval().minusMillis(700).minusNanos(1));
      assertEquals(Role.BACKUP, f.role());
      f.advance(Duration.ofNanos(1));
      assertEquals(Role.MASTER, f.role(), "master-down timer kept its deadline");
    }
    TOTAL.addAndGet(PACKETS_PER_TRY);
    synchronized (BY_REASON) {
      for (DropReason r : DropReason.values()) {
        BY_REASON.merge(r, after.dropped(r) - before.dropped(r), Long::sum);
      }
    }
  }

  @AfterContainer
  static void report() {
    System.out.println("[fuzz] " + TOTAL.get() + " invalid packets through the heartbeat receive path: "
        + "0 exceptions, 0 state changes; dropped by reason " + BY_REASON);
  }

  /** Produces invalid packets of many kinds. */
  static final class Mutations {
    private final Random r;
    private final ElectionFixture f;
    private final List<ByteBuffer> delivered;
    private final List<ByteBuffer> fresh = new ArrayList<>();
    private final AdvertisementCodec wrongSecret = new AdvertisementCodec(CLUSTER, GROUP, List.of(WRONG_SECRET));
    private final AdvertisementCodec unknownId = new AdvertisementCodec(CLUSTER, GROUP, List.of(UNKNOWN_ID));
    int lastTtl = 255;

    Mutations(Random r, ElectionFixture f, List<ByteBuffer> delivered) {
      this.r = r;
      this.f = f;
      this.delivered = delivered;
      for (int i = 0; i < 32; i++) {
        // Valid and fresh (never delivered): each is only ever sent corrupted.
        fresh.add(f.codec.encode(ad("m", 1, 1000 + i, CLUSTER, GROUP, 254)));
      }
      for (int i = 0; i < 8; i++) {
        // Freshness proofs, valid (a challenge to us, a response to us), also only sent corrupted.
        fresh.add(f.codec.encode(ad("m", 1, 2000 + i, CLUSTER, GROUP, 254), proof(i % 2 == 0)));
      }
    }

    static Advertisement ad(String node, long incarnation, long seq, int cluster, int group, int priority) {
      return new Advertisement(cluster, group, NodeId.of(node), priority, Role.MASTER, INTERVAL,
          incarnation, seq, NO_VIPS);
    }

    private AdvertisementCodec.Proof proof(boolean response) {
      byte[] nonce = new byte[AdvertisementCodec.NONCE_BYTES];
      r.nextBytes(nonce);
      return new AdvertisementCodec.Proof(response, NodeId.of("n1"), nonce);
    }

    ByteBuffer next() {
      lastTtl = 255;
      int kind = r.nextInt(14);
      return switch (kind) {
        case 0 -> random(r.nextInt(AdvertisementCodec.MAX_BYTES + 40));
        case 1 -> flipBits(pickFresh());
        case 2 -> truncate(pickFresh());
        case 3 -> extend(pickFresh());
        case 4 -> delivered.isEmpty() ? flipBits(pickFresh()) : delivered.get(r.nextInt(delivered.size())).duplicate();
        case 5 -> wrongSecret.encode(ad("m", 1, 5000 + r.nextInt(1000), CLUSTER, GROUP, 254));
        case 6 -> unknownId.encode(ad("m", 1, 5000 + r.nextInt(1000), CLUSTER, GROUP, 254));
        case 7 -> f.codec.encode(ad("m", 1, 5000 + r.nextInt(1000), CLUSTER ^ (1 + r.nextInt(1000)), GROUP, 254));
        case 8 -> f.codec.encode(ad("m", 1, 5000 + r.nextInt(1000), CLUSTER, 1 + (GROUP + r.nextInt(254)) % 255, 254));
        case 9 -> f.codec.encode(ad("m", 0, 9000 + r.nextInt(1000), CLUSTER, GROUP, 254)); // older incarnation
        case 10 -> headerThenRandom();
        // our own id and incarnation (under another incarnation it is a duplicate id, a peer's)
        case 11 -> f.codec.encode(ad("n1", 7, 1 + r.nextInt(1000), CLUSTER, GROUP, 254));
        // A response to us echoing a nonce we never sent (a replayed or forged proof).
        case 12 -> f.codec.encode(ad(r.nextBoolean() ? "m" : "x", r.nextInt(3), 3000 + r.nextInt(1000), CLUSTER, GROUP,
            254), proof(true));
        default -> {
          lastTtl = r.nextInt(255); // routed: TTL below 255
          yield pickFresh();
        }
      };
    }

    private ByteBuffer pickFresh() {
      ByteBuffer p = fresh.get(r.nextInt(fresh.size()));
      return ByteBuffer.allocate(p.remaining()).put(p.duplicate()).flip();
    }

    private ByteBuffer random(int len) {
      byte[] b = new byte[len];
      r.nextBytes(b);
      return ByteBuffer.wrap(b);
    }

    private ByteBuffer flipBits(ByteBuffer p) {
      // Distinct bits: flipping one bit twice would restore the valid packet.
      java.util.BitSet bits = new java.util.BitSet();
      int flips = 1 + r.nextInt(3);
      while (bits.cardinality() < flips) {
        bits.set(r.nextInt(p.remaining() * 8));
      }
      bits.stream().forEach(bit -> p.put(bit / 8, (byte) (p.get(bit / 8) ^ (1 << (bit % 8)))));
      return p;
    }

    private ByteBuffer truncate(ByteBuffer p) {
      return p.limit(r.nextInt(p.remaining()));
    }

    private ByteBuffer extend(ByteBuffer p) {
      ByteBuffer longer = ByteBuffer.allocate(p.remaining() + 1 + r.nextInt(16));
      longer.put(p);
      while (longer.hasRemaining()) {
        longer.put((byte) r.nextInt());
      }
      return longer.flip();
    }

    private ByteBuffer headerThenRandom() {
      ByteBuffer p = random(AdvertisementCodec.MIN_BYTES + r.nextInt(80));
      p.putInt(0, 0x4841344A).put(4, (byte) 1);
      return p;
    }
  }
}
