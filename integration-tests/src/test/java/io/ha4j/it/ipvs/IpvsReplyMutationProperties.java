package io.ha4j.it.ipvs;

import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.TableException;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.SyncDaemon;
import io.ha4j.netlink.NetlinkTransport;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random mutations of the kernel's replies (bit flips, truncation, wrong message or attribute
 * lengths, wrong sequence numbers) only ever end in a typed {@link TableException} or a correct
 * answer: never a hang, an unchecked exception or an allocation the reply did not pay for.
 */
class IpvsReplyMutationProperties {

  enum Kind { BIT_FLIP, TRUNCATE, MESSAGE_LENGTH, ATTRIBUTE_LENGTH, SEQUENCE }

  /** A change to the {@code datagram}-th datagram the client receives. */
  record Mutation(int datagram, Kind kind, int offset, int value) {
    ByteBuffer apply(ByteBuffer in) {
      ByteBuffer b = ByteBuffer.allocate(in.remaining()).order(ByteOrder.nativeOrder()).put(in.duplicate()).flip();
      int n = b.limit();
      if (n == 0) {
        return b;
      }
      int at = Math.floorMod(offset, n);
      switch (kind) {
        case BIT_FLIP -> b.put(at, (byte) (b.get(at) ^ (1 << (value & 7))));
        case TRUNCATE -> b.limit(at);
        case MESSAGE_LENGTH -> {
          if (n >= 4) {
            b.putInt(0, value);
          }
        }
        case ATTRIBUTE_LENGTH -> {
          // nla_len of the attribute nearest an aligned offset after the headers (or junk there).
          int pos = Math.min(n - 2, 20 + (at & ~3));
          if (pos >= 0) {
            b.putShort(pos, (short) value);
          }
        }
        case SEQUENCE -> {
          if (n >= 12) {
            b.putInt(8, b.getInt(8) + (value == 0 ? 1 : value));
          }
        }
      }
      return b;
    }
  }

  /** Passes the fake kernel's replies through the planned mutations. */
  static final class MutatingTransport implements NetlinkTransport {
    final NetlinkTransport inner;
    final List<Mutation> plan;
    int received;

    MutatingTransport(NetlinkTransport inner, List<Mutation> plan) {
      this.inner = inner;
      this.plan = plan;
    }

    @Override
    public int portId() {
      return inner.portId();
    }

    @Override
    public void send(ByteBuffer datagram) {
      inner.send(datagram);
    }

    @Override
    public ByteBuffer receive(Duration timeout) {
      ByteBuffer b = inner.receive(timeout);
      int index = received++;
      for (Mutation m : plan) {
        if (m.datagram() == index) {
          b = m.apply(b);
        }
      }
      return b;
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Provide
  Arbitrary<List<Mutation>> plans() {
    Arbitrary<Mutation> m = Combinators.combine(
            Arbitraries.integers().between(0, 12),
            Arbitraries.of(Kind.values()),
            Arbitraries.integers().between(0, 4096),
            Arbitraries.integers())
        .as(Mutation::new);
    return m.list().ofMinSize(1).ofMaxSize(4);
  }

  enum Action { READ, SERVICES, INFO, TIMEOUTS, DAEMONS, APPLY }

  @Property(tries = 1000)
  void mutatedRepliesEndInATypedErrorOrAnAnswer(@ForAll("plans") List<Mutation> plan, @ForAll Action action)
      throws Exception {
    FakeIpvsKernel kernel = new FakeIpvsKernel(0x4321, FakeIpvsKernel.DEFAULT_FAMILY_ID, 1024,
        FakeIpvsKernel.STOCK_SCHEDULERS);
    ServiceKey web = ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100.10"), 80);
    ServiceKey dns = ServiceKey.of(Protocol.UDP, InetAddress.getByName("2001:db8::1"), 53);
    try (IpvsClient setup = new IpvsClient(kernel, () -> 0L, Duration.ofSeconds(1))) {
      setup.addService(VirtualService.of(web, "wlc").withPersistence(300, 24));
      setup.addService(VirtualService.of(dns, "sh"));
      for (int i = 1; i <= 20; i++) {
        setup.addRealServer(web, RealServer.of(InetAddress.getByName("203.0.113." + i), 80)
            .withForwarding(ForwardingMethod.NAT).withThresholds(100, 10));
      }
      setup.addRealServer(dns, RealServer.of(InetAddress.getByName("2001:db8::2"), 53));
      setup.startDaemon(SyncDaemon.of(SyncDaemon.State.BACKUP, "eth0", 3));
    }
    IpvsClient client = new IpvsClient(new MutatingTransport(kernel, plan), () -> 0L, Duration.ofSeconds(1));
    String outcome = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      try {
        switch (action) {
          case READ -> client.read();
          case SERVICES -> client.services();
          case INFO -> client.info();
          case TIMEOUTS -> client.timeouts();
          case DAEMONS -> client.daemons();
          case APPLY -> client.apply(List.of(
              new TableOp.AddService(VirtualService.of(web, "rr")),
              new TableOp.DeleteRealServer(web, new RealServer.Endpoint(InetAddress.getByName("203.0.113.1"), 80)),
              new TableOp.AddRealServer(dns, RealServer.of(InetAddress.getByName("2001:db8::3"), 53))));
        }
        return "answer";
      } catch (TableException expected) {
        return expected.reason().name();
      }
    });
    Statistics.label("outcome").collect(outcome);
  }
}
