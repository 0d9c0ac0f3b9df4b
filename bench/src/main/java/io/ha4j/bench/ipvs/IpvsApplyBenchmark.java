package io.ha4j.bench.ipvs;

import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.netlink.NetlinkTransport;
import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints how many datagrams and how much time programming a large table costs, pipelined
 * ({@link IpvsClient#apply}) against one request per op, over the fake kernel (codec and engine
 * cost only; a real kernel adds its own work per op). Usage: {@code IpvsApplyBenchmark [services]}.
 */
public final class IpvsApplyBenchmark {

  private IpvsApplyBenchmark() {}

  /** Counts the datagrams a client sends. */
  private static final class Counting implements NetlinkTransport {
    final FakeIpvsKernel kernel = new FakeIpvsKernel();
    long sent;

    @Override
    public int portId() {
      return kernel.portId();
    }

    @Override
    public void send(ByteBuffer datagram) {
      sent++;
      kernel.send(datagram);
    }

    @Override
    public ByteBuffer receive(Duration timeout) {
      return kernel.receive(timeout);
    }

    @Override
    public void close() {}
  }

  static List<TableOp> ops(int services) throws UnknownHostException {
    List<TableOp> ops = new ArrayList<>();
    for (int i = 0; i < services; i++) {
      ServiceKey key = ServiceKey.of(Protocol.TCP, InetAddress.getByName("198.51.100." + (i % 250 + 1)), 1024 + i / 250);
      ops.add(new TableOp.AddService(VirtualService.of(key, "wlc")));
      for (int r = 1; r <= 4; r++) {
        ops.add(new TableOp.AddRealServer(key, RealServer.of(InetAddress.getByName("203.0.113." + r), 80)));
      }
    }
    return ops;
  }

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    List<TableOp> ops = ops(services);
    for (int round = 0; round < 3; round++) {
      Counting pipelined = new Counting();
      long t0 = System.nanoTime();
      try (IpvsClient c = new IpvsClient(pipelined, System::nanoTime, Duration.ofSeconds(5))) {
        c.apply(ops).orThrow();
        long t1 = System.nanoTime();
        int listed = c.services().size();
        long t2 = System.nanoTime();
        Counting single = new Counting();
        try (IpvsClient s = new IpvsClient(single, System::nanoTime, Duration.ofSeconds(5))) {
          long t3 = System.nanoTime();
          for (TableOp op : ops) {
            s.apply(List.of(op)).orThrow();
          }
          long t4 = System.nanoTime();
          System.out.printf("round %d: %d ops pipelined: %d datagrams sent, %.1f ms (%.0f ops/s); "
                  + "one per op: %d datagrams, %.1f ms; dump of %d services: %.1f ms%n",
              round, ops.size(), pipelined.sent, (t1 - t0) / 1e6, ops.size() / ((t1 - t0) / 1e9),
              single.sent, (t4 - t3) / 1e6, listed, (t2 - t1) / 1e6);
        }
      }
    }
  }
}
