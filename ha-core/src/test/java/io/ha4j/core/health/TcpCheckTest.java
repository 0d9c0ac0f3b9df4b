package io.ha4j.core.health;

import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthChange;
import io.ha4j.api.health.HealthState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.core.time.SystemScheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** TCP connect checks against listeners on loopback (keepalived TCP_CHECK, ldirectord "connect"). */
class TcpCheckTest {

  private final SystemScheduler scheduler = new SystemScheduler("tcp-test");
  private final HealthEngine engine = new HealthEngine(scheduler, new Random(1));
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    engine.close();
    scheduler.close();
    for (AutoCloseable c : resources) {
      c.close();
    }
  }

  static CheckSettings every(Duration interval, Duration timeout) {
    return CheckSettings.of(interval, timeout).withWarmupJitter(false);
  }

  private ServerSocket listener(int backlog) throws IOException {
    var s = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
    resources.add(s);
    return s;
  }

  @Test
  void listeningServerIsUp() throws Exception {
    var s = listener(50);
    engine.register("rs", new TcpCheck(new InetSocketAddress(s.getInetAddress(), s.getLocalPort())),
        every(Duration.ofMillis(50), Duration.ofSeconds(5)));
    Await.until("up", () -> engine.state("rs") == HealthState.UP);
    assertTrue(engine.lastResult("rs").orElseThrow().detail().startsWith("connected"));
  }

  @Test
  void refusedConnectionIsDown() throws Exception {
    int port;
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    engine.register("rs", new TcpCheck(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)),
        every(Duration.ofMillis(50), Duration.ofSeconds(5)));
    Await.until("down", () -> engine.state("rs") == HealthState.DOWN);
    assertTrue(engine.lastResult("rs").orElseThrow().detail().contains("refused"),
        engine.lastResult("rs").orElseThrow().detail());
  }

  @Test
  void serverThatNeverCompletesTheHandshakeTimesOut() throws Exception {
    var s = listener(1);
    var address = new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
    Assumptions.assumeTrue(fillAcceptQueue(address), "the kernel kept completing handshakes on a full accept queue");
    engine.register("rs", new TcpCheck(address), every(Duration.ofMillis(50), Duration.ofMillis(300)));
    Await.until("down", () -> engine.state("rs") == HealthState.DOWN);
    assertEquals("timed out after PT0.3S", engine.lastResult("rs").orElseThrow().detail());
  }

  @Test
  void serverStoppingAndStartingFlipsTheStateAfterFallAndRise() throws Exception {
    var s = listener(50);
    int port = s.getLocalPort();
    var address = new InetSocketAddress(s.getInetAddress(), port);
    var changes = new java.util.concurrent.CopyOnWriteArrayList<HealthChange>();
    engine.addListener(changes::add);
    engine.register("rs", new TcpCheck(address), every(Duration.ofMillis(20), Duration.ofSeconds(5)).withRise(3).withFall(2));
    Await.until("up", () -> engine.state("rs") == HealthState.UP);
    s.close();
    Await.until("down", () -> engine.state("rs") == HealthState.DOWN);
    var again = new ServerSocket();
    resources.add(again);
    again.setReuseAddress(true);
    again.bind(address);
    Await.until("up again", () -> engine.state("rs") == HealthState.UP);
    assertEquals(List.of(HealthState.UP, HealthState.DOWN, HealthState.UP), changes.stream().map(HealthChange::current).toList());
  }

  @Test
  void slowTargetsDoNotDelayAFastOne() throws Exception {
    var hung = listener(1);
    var hungAddress = new InetSocketAddress(hung.getInetAddress(), hung.getLocalPort());
    Assumptions.assumeTrue(fillAcceptQueue(hungAddress), "the kernel kept completing handshakes on a full accept queue");
    var slowSettings = every(Duration.ofMillis(10), Duration.ofSeconds(60));
    for (int i = 0; i < 50; i++) {
      engine.register("slow-" + i, new TcpCheck(hungAddress), slowSettings);
    }
    var good = listener(50);
    var fast = new TcpCheck(new InetSocketAddress(good.getInetAddress(), good.getLocalPort()));
    var fastRounds = new java.util.concurrent.atomic.AtomicInteger();
    engine.register("fast", ctx -> {
      fastRounds.incrementAndGet();
      return fast.run(ctx);
    }, every(Duration.ofMillis(10), Duration.ofSeconds(60)));
    Await.until("30 fast rounds", () -> fastRounds.get() >= 30);
    assertEquals(HealthState.UP, engine.state("fast"));
    // The 50 slow targets are all still inside their first attempt: none has a result yet.
    for (int i = 0; i < 50; i++) {
      assertTrue(engine.lastResult("slow-" + i).isEmpty(), "slow-" + i);
    }
  }

  /**
   * Fills the accept queue of a listener that never accepts; Linux then drops further SYNs, so a
   * connect hangs. Returns whether a probe connect indeed hung.
   */
  boolean fillAcceptQueue(InetSocketAddress address) throws IOException {
    for (int i = 0; i < 64; i++) {
      var c = new Socket();
      resources.add(c);
      try {
        c.connect(address, 300);
      } catch (SocketTimeoutException e) {
        return true;
      }
    }
    return false;
  }
}
