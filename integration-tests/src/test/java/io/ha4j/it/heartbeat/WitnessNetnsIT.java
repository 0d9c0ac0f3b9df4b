package io.ha4j.it.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Clock;
import io.ha4j.api.transport.WitnessTransport.CloseReason;
import io.ha4j.api.transport.WitnessTransport.ProbeResult;
import io.ha4j.api.transport.WitnessTransport.WitnessConnection;
import io.ha4j.heartbeat.witness.linux.LinuxWitnessTransport;
import io.ha4j.netlink.NetworkNamespace;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Linux witness transport between two namespaces: a listener in its own JVM on n1, this JVM's
 * transport on n2. What each kind of death looks like from n2: kill -9 (the close within
 * milliseconds, then a refused probe), a normal exit, an injected reset (dropped by the kernel
 * thanks to the TCP-MD5 key), and host death (nothing at all, the probe times out).
 */
@NetnsTest
class WitnessNetnsIT {

  static final int PORT = 5406;
  /** The director's launcher (ha-director/bin/director). */
  static final List<String> DIRECTOR_HEAP = List.of("-Xms32m", "-Xmx96m", "-XX:+UseSerialGC");
  static final List<String> PRETOUCHED_256M = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
      "-XX:+UseSerialGC");

  private @Nullable NetnsRig rig;
  private @Nullable LinuxWitnessTransport transport;
  private Path dir = Path.of(".");

  @BeforeEach
  void rig() throws IOException {
    rig = NetnsRig.bridge("wit", 2);
    dir = Files.createTempDirectory("witness-netns");
  }

  @AfterEach
  void tearDown() throws IOException {
    if (transport != null) {
      transport.close();
    }
    if (rig != null) {
      rig.close();
    }
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  @Test
  void killMinus9ClosesTheConnectionAndTheProbeIsRefused() throws Exception {
    for (List<String> heap : List.of(PRETOUCHED_256M, DIRECTOR_HEAP)) {
      List<Long> micros = new ArrayList<>();
      for (int run = 0; run < 5; run++) {
        Child child = startChild(heap, true);
        Events events = connect(true);
        long killedAt = System.nanoTime();
        child.process.destroyForcibly();
        Event close = events.next(Duration.ofSeconds(2));
        assertTrue(close.reason == CloseReason.END_OF_STREAM || close.reason == CloseReason.RESET,
            "kill -9: the close is the peer kernel's, was " + close);
        micros.add((close.at - killedAt) / 1000);
        ProbeResult answer = probe(Duration.ofSeconds(1));
        assertEquals(ProbeResult.REFUSED, answer, "after kill -9");
        child.process.waitFor(5, TimeUnit.SECONDS);
        closeTransport();
      }
      List<Long> sorted = micros.stream().sorted().toList();
      System.out.printf("[netns witness] kill -9 -> close (ms) with %s: %s, median %.1f, max %.1f%n",
          String.join(" ", heap), micros.stream().map(m -> String.format("%.1f", m / 1000.0)).toList(),
          sorted.get(sorted.size() / 2) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }
  }

  @Test
  void aNormalExitSaysGoodbyeBeforeTheSameClose() throws Exception {
    startChild(DIRECTOR_HEAP, true);
    Events events = connect(true);
    events.connection().send(ascii("exit"));
    Event bye = events.next(Duration.ofSeconds(2));
    assertEquals("bye", bye.text, "the goodbye before the end");
    Event close = events.next(Duration.ofSeconds(3));
    assertEquals(CloseReason.END_OF_STREAM, close.reason, "a normal exit closes like a death: only the goodbye tells");
    assertEquals(ProbeResult.REFUSED, probe(Duration.ofSeconds(1)));
  }

  @Test
  void anInjectedResetDoesNotEndAKeyedConnection() throws Exception {
    startChild(DIRECTOR_HEAP, true);
    Events events = connect(true);
    Event closed = injectResets(events);
    assertNull(closed, "a reset without the key must be dropped by the kernel");
    assertEquals("during", events.next(Duration.ofSeconds(5)).text, "the message sent under the reject arrives");
    events.connection().send(ascii("after"));
    assertEquals("after", events.next(Duration.ofSeconds(2)).text);
  }

  @Test
  void anInjectedResetEndsAnUnkeyedConnection() throws Exception {
    startChild(DIRECTOR_HEAP, false);
    Events events = connect(false);
    Event closed = injectResets(events);
    assertTrue(closed != null && closed.reason == CloseReason.RESET, "without the key the reset gets in: " + closed);
  }

  @Test
  void hostDeathClosesNothingAndTheProbeConcludesNothing() throws Exception {
    NetnsRig r = rigOrFail();
    startChild(DIRECTOR_HEAP, true);
    Events events = connect(true);
    long downAt = System.nanoTime();
    r.exec(1, "ip", "link", "set", r.interfaceName(1), "down").orThrow();
    ProbeResult p = probe(Duration.ofMillis(500));
    assertTrue(p == ProbeResult.TIMED_OUT || p == ProbeResult.UNREACHABLE, "host gone: " + p);
    events.connection().send(ascii("anyone"));
    assertNull(events.poll(Duration.ofMillis(1500)), "no close from a host that is gone");
    Event close = events.next(Duration.ofSeconds(15));
    System.out.printf("[netns witness] host death (link down): probe %s, connection ended %s after %d ms%n",
        p, close.reason, (close.at - downAt) / 1_000_000);
    assertEquals(CloseReason.TIMED_OUT, close.reason, "only the user timeout ends it");
  }

  /** Rejects the witness port with TCP resets in n1 while n2 sends; the close if one came within 1 s. */
  private @Nullable Event injectResets(Events events) throws InterruptedException {
    NetnsRig r = rigOrFail();
    r.exec(1, "nft", "add table inet witness").orThrow();
    r.exec(1, "nft", "add chain inet witness in { type filter hook input priority 0 ; }").orThrow();
    r.exec(1, "nft", "add rule inet witness in tcp dport " + PORT + " reject with tcp reset").orThrow();
    try {
      events.connection().send(ascii("during"));
      return events.poll(Duration.ofSeconds(1));
    } finally {
      r.exec(1, "nft", "delete table inet witness").orThrow();
    }
  }

  private Child startChild(List<String> heap, boolean keyed) throws Exception {
    NetnsRig r = rigOrFail();
    Path log = Files.createTempFile(dir, "n1-", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(HeartbeatNetnsIT.javaBinary());
    cmd.addAll(heap);
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", HeartbeatNetnsIT.testClassPath(),
        WitnessListenerMain.class.getName(), r.address(1).getHostAddress(), String.valueOf(PORT),
        r.address(2).getHostAddress(), keyed ? "key" : "nokey"));
    Process p = r.start(1, cmd, log.toFile());
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (HeartbeatNetnsIT.lines(log).stream().noneMatch(l -> l.startsWith("LISTENING"))) {
      assertTrue(p.isAlive() && System.nanoTime() - end < 0, "the listener did not start: "
          + HeartbeatNetnsIT.lines(log));
      Thread.sleep(10);
    }
    return new Child(p, log);
  }

  private Events connect(boolean keyed) throws Exception {
    NetnsRig r = rigOrFail();
    byte[] key = keyed ? LinuxWitnessTransport.tcpMd5Key(HeartbeatNodeMain.KEY) : null;
    LinuxWitnessTransport t = NetworkNamespace.call(NetworkNamespace.path(r.namespace(2)), () -> {
      try {
        return LinuxWitnessTransport.open(new InetSocketAddress(r.address(2), PORT), List.of(r.address(1)), key,
            Clock.system());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    transport = t;
    Events events = new Events();
    t.connect(new InetSocketAddress(r.address(1), PORT), events);
    Event opened = events.next(Duration.ofSeconds(5));
    assertEquals("opened", opened.text, "the keyed connection opens");
    return events;
  }

  private ProbeResult probe(Duration timeout) throws Exception {
    NetnsRig r = rigOrFail();
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    LinuxWitnessTransport t = transport;
    assertTrue(t != null);
    t.probe(new InetSocketAddress(r.address(1), PORT), timeout, result::complete);
    return result.get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
  }

  private void closeTransport() {
    if (transport != null) {
      transport.close();
      transport = null;
    }
  }

  private NetnsRig rigOrFail() {
    NetnsRig r = rig;
    assertTrue(r != null);
    return r;
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  private record Child(Process process, Path log) {}

  /** One event of the connection, stamped with the monotonic clock when the handler heard it. */
  private record Event(long at, String text, @Nullable CloseReason reason) {}

  /** The connection's events in order. */
  private static final class Events implements WitnessConnection.Handler {
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private volatile @Nullable WitnessConnection connection;

    @Override
    public void opened(WitnessConnection c) {
      connection = c;
      queue.add(new Event(System.nanoTime(), "opened", null));
    }

    @Override
    public void received(WitnessConnection c, ByteBuffer message) {
      queue.add(new Event(System.nanoTime(), StandardCharsets.US_ASCII.decode(message).toString(), null));
    }

    @Override
    public void closed(WitnessConnection c, CloseReason reason) {
      queue.add(new Event(System.nanoTime(), "closed", reason));
    }

    @Nullable Event poll(Duration limit) throws InterruptedException {
      return queue.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    Event next(Duration limit) throws InterruptedException {
      Event e = poll(limit);
      assertTrue(e != null, "no witness event within " + limit);
      return e;
    }

    WitnessConnection connection() {
      WitnessConnection c = connection;
      assertTrue(c != null);
      return c;
    }
  }
}
