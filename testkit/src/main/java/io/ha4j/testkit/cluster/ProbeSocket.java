package io.ha4j.testkit.cluster;

import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A member's health-check socket on the simulated network: {@link #to} is the {@link HealthCheck}
 * its {@link io.ha4j.core.health.HealthEngine} runs against one real server. An attempt sends a
 * numbered probe and completes when the echo comes back; when none does, the engine's own timeout
 * fails it, exactly as a connect to a dead host times out. Used on the member's scheduler only,
 * so the engine never hands work to a thread of its own and the run stays deterministic.
 */
final class ProbeSocket implements AutoCloseable {

  private final DatagramTransport transport;
  private final Map<Long, CompletableFuture<CheckResult>> pending = new HashMap<>();
  private long next;

  ProbeSocket(DatagramTransport transport) {
    this.transport = transport;
    transport.start(this::receive);
  }

  /** The check of the real server at {@code target}. */
  HealthCheck to(InetSocketAddress target) {
    return context -> {
      long id = ++next;
      CompletableFuture<CheckResult> f = new CompletableFuture<>();
      pending.put(id, f);
      // A timed-out attempt is cancelled by the engine: forget it, a late echo finds nothing.
      f.whenComplete((r, e) -> pending.remove(id));
      ByteBuffer probe = ByteBuffer.allocate(Long.BYTES).putLong(0, id);
      transport.send(target, probe);
      return f;
    };
  }

  private void receive(Datagram d) {
    if (d.payload().remaining() != Long.BYTES) {
      return;
    }
    CompletableFuture<CheckResult> f = pending.remove(d.payload().getLong(d.payload().position()));
    if (f != null) {
      f.complete(CheckResult.up("probe answered"));
    }
  }

  @Override
  public void close() {
    transport.close();
    pending.clear();
  }
}
