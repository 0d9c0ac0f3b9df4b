package io.ha4j.testkit.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ha4j.api.transport.WitnessTransport;
import io.ha4j.api.transport.WitnessTransport.CloseReason;
import io.ha4j.api.transport.WitnessTransport.ProbeResult;
import io.ha4j.api.transport.WitnessTransport.WitnessConnection;
import io.ha4j.core.time.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated network's witness connections: the two deaths, the keyed reset, the cut. */
class SimulatedWitnessesTest {

  private static final Duration PROBE = Duration.ofMillis(10);
  private final VirtualClock clock = new VirtualClock();
  private final SimulatedNetwork net = new SimulatedNetwork(clock.newScheduler("net"), 1);
  private final InetAddress a = ip("198.51.100.1");
  private final InetAddress b = ip("198.51.100.2");
  private final WitnessTransport client = net.attachWitness(new InetSocketAddress(a, 5407));
  private final WitnessTransport server = net.attachWitness(new InetSocketAddress(b, 5407));
  /** What each side heard, in order. */
  private final List<String> heardByClient = new ArrayList<>();
  private final List<String> heardByServer = new ArrayList<>();

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private WitnessConnection.Handler recorder(List<String> log) {
    return new WitnessConnection.Handler() {
      @Override
      public void opened(WitnessConnection c) {
        log.add("opened");
      }

      @Override
      public void received(WitnessConnection c, ByteBuffer m) {
        log.add("message " + m.get(0));
      }

      @Override
      public void closed(WitnessConnection c, CloseReason r) {
        log.add("closed " + r);
      }
    };
  }

  private final List<WitnessConnection> accepted = new ArrayList<>();

  private void connect() {
    server.listen(c -> {
      accepted.add(c);
      c.attach(recorder(heardByServer));
    });
    client.connect(new InetSocketAddress(b, 5407), recorder(heardByClient));
    clock.advanceBy(Duration.ofMillis(1));
    assertEquals(List.of("opened"), heardByClient);
    assertEquals(List.of("opened"), heardByServer);
  }

  private ProbeResult probe() {
    List<ProbeResult> r = new ArrayList<>();
    client.probe(new InetSocketAddress(b, 5407), PROBE, r::add);
    clock.advanceBy(PROBE.plusMillis(1));
    assertEquals(1, r.size());
    return r.get(0);
  }

  @Test
  void aKilledProcessesKernelClosesItsConnectionsAndRefusesProbes() {
    connect();
    assertEquals(ProbeResult.ACCEPTED, probe());
    net.crashProcess(b);
    clock.advanceBy(SimulatedNetwork.PROCESS_CLOSE_DELAY);
    assertEquals(List.of("opened"), heardByClient, "the kernel frees the memory first");
    clock.advanceBy(Duration.ofMillis(1));
    assertEquals(List.of("opened", "closed END_OF_STREAM"), heardByClient);
    assertEquals(ProbeResult.REFUSED, probe());
  }

  @Test
  void aCrashedHostIsSilentAndItsProbesTimeOut() {
    connect();
    net.crashHost(b);
    clock.advanceBy(Duration.ofSeconds(5));
    assertEquals(List.of("opened"), heardByClient);
    assertEquals(ProbeResult.TIMED_OUT, probe());
  }

  @Test
  void aResetIsDroppedWhileKeyedAndHeardOtherwise() {
    connect();
    net.injectWitnessReset(a, b);
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(2, net.witnessResetsDropped());
    assertEquals(List.of("opened"), heardByClient);
    net.setWitnessKeyed(false);
    net.injectWitnessReset(a, b);
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of("opened", "closed RESET"), heardByClient);
    assertEquals(List.of("opened", "closed RESET"), heardByServer);
  }

  @Test
  void segmentsWaitOutACutInOrderAndACloseAfterAMessageComesAfterIt() {
    connect();
    net.cut(b, a);
    accepted.get(0).send(ByteBuffer.wrap(new byte[] {1}));
    accepted.get(0).send(ByteBuffer.wrap(new byte[] {2}));
    accepted.get(0).close();
    clock.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of("opened"), heardByClient);
    assertEquals(ProbeResult.TIMED_OUT, probe(), "the cut drops the probe's answer");
    net.heal();
    clock.advanceBy(Duration.ofMillis(1));
    assertEquals(List.of("opened", "message 1", "message 2", "closed END_OF_STREAM"), heardByClient);
    assertEquals(ProbeResult.ACCEPTED, probe(), "its listener is still open: only the connection was closed");
  }

  @Test
  void noListenerRefusesTheConnectionAndASecondLiveProcessCannotTakeTheEndpoint() {
    client.connect(new InetSocketAddress(b, 5407), recorder(heardByClient));
    clock.advanceBy(Duration.ofMillis(1));
    assertEquals(List.of("closed RESET"), heardByClient);
    server.listen(c -> { });
    assertThrows(IllegalStateException.class, () -> net.attachWitness(new InetSocketAddress(b, 5407)));
  }
}
