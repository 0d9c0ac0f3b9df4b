package io.ha4j.heartbeat.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.vrrp.VrrpCodec;
import io.ha4j.heartbeat.vrrp.VrrpWireFormat;
import io.ha4j.core.time.VirtualClock;
import io.ha4j.core.time.VirtualScheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Several ha4j members speaking VRRPv3 to each other on a simulated multicast link (virtual time,
 * 1 ms latency, packets carried as the raw socket delivers them: in IP packets with TTL 255).
 */
class VrrpGroupTest {

  static final Duration INTERVAL = Duration.ofMillis(100);

  final VirtualClock clock = new VirtualClock(1_000_000_000L);
  final VirtualScheduler wire = clock.newScheduler("wire");
  final List<Member> members = new ArrayList<>();

  final class Member implements DatagramTransport {
    final InetAddress address;
    final VirtualScheduler scheduler;
    final VrrpElection election;
    private @Nullable Consumer<Datagram> receiver;
    boolean dead;

    Member(String ip, int priority) {
      address = ip(ip);
      scheduler = clock.newScheduler(ip);
      HeartbeatConfig config = HeartbeatConfig.builder().groupId(51).nodeId(VrrpWireFormat.nodeId(address))
          .priority(priority).advertisementInterval(INTERVAL).key(1, new byte[16])
          .virtualAddress(VirtualAddress.of(ip("198.51.100.100"), 24, "veth1"))
          .destination(new InetSocketAddress(VrrpCodec.group4(), 0)).build();
      election = new VrrpElection(config, VrrpWireFormat.of(config, address, false), this, scheduler);
      members.add(this);
    }

    @Override
    public void start(Consumer<Datagram> r) {
      receiver = r;
    }

    @Override
    public void send(InetSocketAddress destination, ByteBuffer payload) {
      if (dead) {
        return;
      }
      ByteBuffer packet = VrrpWireFormat.ipPacket(address, destination.getAddress(), 255, payload);
      wire.schedule(Duration.ofMillis(1), () -> {
        for (Member m : members) {
          Consumer<Datagram> r = m.receiver;
          // IP_MULTICAST_LOOP is off in the real transport: the sender does not hear itself.
          if (m != this && !m.dead && r != null) {
            Datagram d = new Datagram(new InetSocketAddress(address, 0), packet.duplicate(), 255, clock.nanoTime());
            m.scheduler.execute(() -> r.accept(d));
          }
        }
      });
    }

    @Override
    public void close() {}
  }

  @Test
  void equalPrioritiesElectTheHighestPrimaryAddressAndTheNextOneAfterItDies_rfc5798_6_4_3() {
    Member nine = new Member("198.51.100.9", 100);
    Member ten = new Member("198.51.100.10", 100);
    Member two = new Member("198.51.100.2", 100);
    members.forEach(m -> m.election.start());
    clock.advanceBy(Duration.ofSeconds(2));
    assertEquals(List.of(Role.BACKUP, Role.MASTER, Role.BACKUP), roles(), ".10 is the highest address");
    ten.dead = true; // kill -9: no priority-0 advertisement
    clock.advanceBy(Duration.ofSeconds(2));
    assertEquals(Role.MASTER, nine.election.role(), ".9 is the next highest");
    assertEquals(Role.BACKUP, two.election.role());
    for (Member m : members) {
      assertEquals(0, m.election.stats().dropped(DropReason.MALFORMED) + m.election.stats().dropped(DropReason.BAD_CHECKSUM));
    }
  }

  @Test
  void aGracefulStopHandsOverWithinTheSkewTime_rfc5798_6_4_2() {
    Member high = new Member("198.51.100.1", 200);
    Member low = new Member("198.51.100.2", 100);
    members.forEach(m -> m.election.start());
    clock.advanceBy(Duration.ofSeconds(2));
    assertEquals(List.of(Role.MASTER, Role.BACKUP), roles());
    high.election.stop();
    clock.advanceBy(Duration.ofMillis(1).plus(VrrpElection.skewTime(100, INTERVAL)));
    assertEquals(Role.MASTER, low.election.role());
  }

  private List<Role> roles() {
    return members.stream().map(m -> m.election.role()).toList();
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
