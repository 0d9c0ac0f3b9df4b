package io.ha4j.testkit.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {

  private final VirtualClock clock = new VirtualClock();
  private final VirtualScheduler timeline = clock.newScheduler("network");

  private static InetSocketAddress at(String host) {
    return new InetSocketAddress(ip(host), 5405);
  }

  private static InetAddress ip(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static ByteBuffer bytes(int n) {
    return ByteBuffer.wrap(new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16)});
  }

  private static int number(Datagram d) {
    ByteBuffer b = d.payload();
    return (b.get(0) & 0xff) | (b.get(1) & 0xff) << 8 | (b.get(2) & 0xff) << 16;
  }

  /** A member that records what it receives. */
  private final class Host {
    final List<Datagram> received = new ArrayList<>();
    final DatagramTransport transport;

    Host(SimulatedNetwork net, String address) {
      transport = net.attach(at(address), clock.newScheduler(address));
      transport.start(received::add);
    }

    List<Integer> numbers() {
      return received.stream().map(SimulatedNetworkTest::number).toList();
    }
  }

  @Test
  void perfectLinkDeliversEachDatagramOnceAfterTheDelayWithSourceAndBytes() {
    SimulatedNetwork net = new SimulatedNetwork(timeline, 1);
    net.setDefaultConditions(LinkConditions.PERFECT.withDelay(Duration.ofMillis(3), Duration.ZERO));
    Host a = new Host(net, "198.51.100.1");
    Host b = new Host(net, "198.51.100.2");
    ByteBuffer payload = bytes(7);
    payload.position(0);
    a.transport.send(at("198.51.100.2"), payload);
    assertEquals(0, payload.position(), "send must not consume the caller's buffer");
    clock.advanceBy(Duration.ofNanos(2_999_999));
    assertTrue(b.received.isEmpty(), "arrived before the link delay");
    clock.advanceBy(Duration.ofNanos(1));
    assertEquals(List.of(7), b.numbers());
    Datagram d = b.received.get(0);
    assertEquals(at("198.51.100.1"), d.source());
    assertEquals(3_000_000, d.receivedAtNanos());
    assertEquals(255, d.ttl(), "one hop, as on a LAN (RFC 5798 section 5.1.1.3 TTL 255)");
    assertTrue(a.received.isEmpty());
    assertEquals(new SimulatedNetwork.Stats(1, 1, 0, 0, 0), net.stats());
  }

  @Test
  void jitterStaysWithinItsBoundAndInOrderWithoutReordering() {
    SimulatedNetwork net = new SimulatedNetwork(timeline, 2);
    net.setDefaultConditions(LinkConditions.PERFECT.withDelay(Duration.ofMillis(1), Duration.ofMillis(4)));
    Host a = new Host(net, "198.51.100.1");
    Host b = new Host(net, "198.51.100.2");
    List<Long> delays = new ArrayList<>();
    b.transport.start(d -> delays.add(d.receivedAtNanos() - (long) number(d) * 10_000_000));
    for (int i = 0; i < 200; i++) {
      a.transport.send(at("198.51.100.2"), bytes(i));
      clock.advanceBy(Duration.ofMillis(10));
    }
    assertEquals(200, delays.size());
    assertTrue(delays.stream().allMatch(x -> x >= 1_000_000 && x < 5_000_000), delays.toString());
    assertTrue(delays.stream().distinct().count() > 100, "jitter should vary the delay");
  }

  @Test
  void lossDropsAboutItsProbabilityAndAllAtOne() {
    SimulatedNetwork net = new SimulatedNetwork(timeline, 3);
    net.setDefaultConditions(LinkConditions.PERFECT.withLoss(0.3));
    Host a = new Host(net, "198.51.100.1");
    Host b = new Host(net, "198.51.100.2");
    for (int i = 0; i < 10_000; i++) {
      a.transport.send(at("198.51.100.2"), bytes(i));
    }
    clock.advanceBy(Duration.ofSeconds(1));
    // Binomial(10000, 0.7): mean 7000, sd ~46; 5 sd either side.
    assertTrue(Math.abs(b.received.size() - 7000) < 230, "delivered " + b.received.size());
    assertEquals(10_000 - b.received.size(), net.stats().lost());
    net.setConditions(ip("198.51.100.1"), ip("198.51.100.2"), LinkConditions.PERFECT.withLoss(1));
    int before = b.received.size();
    a.transport.send(at("198.51.100.2"), bytes(1));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(before, b.received.size());
  }

  @Test
  void duplicationDeliversTwoCopies() {
    SimulatedNetwork net = new SimulatedNetwork(timeline, 4);
    net.setDefaultConditions(LinkConditions.PERFECT.withDuplication(1));
    Host a = new Host(net, "198.51.100.1");
    Host b = new Host(net, "198.51.100.2");
    a.transport.send(at("198.51.100.2"), bytes(5));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(5, 5), b.numbers());
    assertEquals(1, net.stats().duplicated());
  }

  @Test
  void reorderingLetsLaterDatagramsOvertakeAndNothingIsLost() {
    SimulatedNetwork net = new SimulatedNetwork(timeline, 5);
    net.setDefaultConditions(LinkConditions.PERFECT.withDelay(Duration.ofMillis(5), Duration.ZERO).withReordering(0.3));
    Host a = new Host(net, "198.51.100.1");
    Host b = new Host(net, "198.51.100.2");
    for (int i = 0; i < 100; i++) {
      a.transport.send(at("198.51.100.2"), bytes(i));
      clock.advanceBy(Duration.ofMillis(1));
    }
    clock.advanceBy(Duration.ofSeconds(1));
    List<Integer> got = b.numbers();
    assertEquals(100, got.size());
    assertNotEquals(got.stream().sorted().toList(), got, "some datagram should have been overtaken");
    assertEquals(100, Set.copyOf(got).size());
  }

  @Test
  void oneWayCutBlocksOneDirectionUntilHealed() {
    SimulatedNetwork net = new SimulatedNetwork(timeline, 6);
    Host a = new Host(net, "198.51.100.1");
    Host b = new Host(net, "198.51.100.2");
    net.cut(ip("198.51.100.1"), ip("198.51.100.2"));
    assertTrue(net.isCut(ip("198.51.100.1"), ip("198.51.100.2")));
    a.transport.send(at("198.51.100.2"), bytes(1));
    b.transport.send(at("198.51.100.1"), bytes(2));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(), b.numbers());
    assertEquals(List.of(2), a.numbers());
    assertEquals(1, net.stats().blocked());
    net.heal();
    a.transport.send(at("198.51.100.2"), bytes(3));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(3), b.numbers());
  }

  @Test
  void partitionAndIsolationCutBothWaysAndKeepEachSideConnected() {
    SimulatedNetwork net = new SimulatedNetwork(timeline, 7);
    Host a = new Host(net, "198.51.100.1");
    Host b = new Host(net, "198.51.100.2");
    Host c = new Host(net, "198.51.100.3");
    net.partition(List.of(ip("198.51.100.1"), ip("198.51.100.2")), List.of(ip("198.51.100.3")));
    a.transport.send(at("198.51.100.2"), bytes(1));
    a.transport.send(at("198.51.100.3"), bytes(2));
    c.transport.send(at("198.51.100.1"), bytes(3));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(1), b.numbers());
    assertEquals(List.of(), c.numbers());
    assertEquals(List.of(), a.numbers());
    net.heal();
    net.isolate(ip("198.51.100.2"));
    a.transport.send(at("198.51.100.3"), bytes(4));
    a.transport.send(at("198.51.100.2"), bytes(5));
    b.transport.send(at("198.51.100.3"), bytes(6));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(4), c.numbers());
    assertEquals(List.of(1), b.numbers());
  }

  @Test
  void multicastReachesEveryOtherMemberOnThePortButNotTheSender() {
    SimulatedNetwork net = new SimulatedNetwork(timeline, 8);
    Host a = new Host(net, "198.51.100.1");
    Host b = new Host(net, "198.51.100.2");
    Host c = new Host(net, "198.51.100.3");
    DatagramTransport otherPort = net.attach(new InetSocketAddress(ip("198.51.100.4"), 9999), timeline);
    List<Datagram> other = new ArrayList<>();
    otherPort.start(other::add);
    a.transport.send(new InetSocketAddress(ip("224.0.0.18"), 5405), bytes(9));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(), a.numbers());
    assertEquals(List.of(9), b.numbers());
    assertEquals(List.of(9), c.numbers());
    assertEquals(List.of(), other);
  }

  @Test
  void closedEndpointReceivesNothingAndItsAddressCanBeAttachedAgain() {
    SimulatedNetwork net = new SimulatedNetwork(timeline, 9);
    Host a = new Host(net, "198.51.100.1");
    Host b = new Host(net, "198.51.100.2");
    assertThrows(IllegalStateException.class, () -> net.attach(at("198.51.100.2"), timeline));
    a.transport.send(at("198.51.100.2"), bytes(1));
    b.transport.close();
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(), b.numbers(), "in flight to a closed endpoint: lost");
    b.transport.send(at("198.51.100.1"), bytes(2));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(), a.numbers(), "a closed endpoint sends nothing");
    Host b2 = new Host(net, "198.51.100.2");
    a.transport.send(at("198.51.100.2"), bytes(3));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of(3), b2.numbers());
  }

  @Test
  void arrivalIsStampedWithTheReceiversClock() {
    SimulatedNetwork net = new SimulatedNetwork(timeline, 10);
    Host a = new Host(net, "198.51.100.1");
    VirtualClock other = new VirtualClock(5_000_000_000L);
    List<Datagram> got = new ArrayList<>();
    DatagramTransport b = net.attach(at("198.51.100.2"), new io.ha4j.api.Scheduler() {
      @Override
      public io.ha4j.api.Clock clock() {
        return other;
      }

      @Override
      public io.ha4j.api.Cancellable schedule(Duration delay, Runnable task) {
        return timeline.schedule(delay, task);
      }

      @Override
      public io.ha4j.api.Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        return timeline.scheduleAtFixedRate(initialDelay, period, task);
      }
    });
    b.start(got::add);
    a.transport.send(at("198.51.100.2"), bytes(1));
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(5_000_000_000L, got.get(0).receivedAtNanos());
  }

  @Test
  void sameSeedSameDeliveriesAndAnotherSeedOthers() {
    assertEquals(deliveries(42), deliveries(42));
    assertNotEquals(deliveries(42), deliveries(43));
  }

  private List<String> deliveries(long seed) {
    VirtualClock c = new VirtualClock();
    SimulatedNetwork net = new SimulatedNetwork(c.newScheduler("net"), seed);
    net.setDefaultConditions(new LinkConditions(0.2, Duration.ofMillis(1), Duration.ofMillis(3), 0.1, 0.1));
    List<String> log = new ArrayList<>();
    DatagramTransport a = net.attach(at("198.51.100.1"), c.newScheduler("a"));
    DatagramTransport b = net.attach(at("198.51.100.2"), c.newScheduler("b"));
    b.start(d -> log.add(number(d) + "@" + d.receivedAtNanos()));
    a.start(d -> { });
    for (int i = 0; i < 300; i++) {
      a.send(at("198.51.100.2"), bytes(i));
      c.advanceBy(Duration.ofMillis(1));
    }
    c.advanceBy(Duration.ofSeconds(1));
    return log;
  }

  @Test
  void linkConditionsNameTheBadField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LinkConditions.PERFECT.withLoss(1.5));
    assertTrue(e.getMessage().contains("loss") && e.getMessage().contains("1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LinkConditions.PERFECT.withDelay(Duration.ofMillis(-1), Duration.ZERO));
    assertTrue(e.getMessage().contains("delay"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LinkConditions.PERFECT.withReordering(Double.NaN));
    assertTrue(e.getMessage().contains("reordering"), e.getMessage());
  }
}
