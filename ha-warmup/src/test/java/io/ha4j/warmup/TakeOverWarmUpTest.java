package io.ha4j.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ha4j.api.Role;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.transport.Datagram;
import io.ha4j.api.transport.DatagramTransport;
import io.ha4j.core.time.VirtualScheduler;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.vrrp.VrrpCodec;
import io.ha4j.heartbeat.vrrp.VrrpWireFormat;
import io.ha4j.linux.LinuxNative;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The take-over warm-up runs real take-overs on copies that share nothing with the real member. */
class TakeOverWarmUpTest {

  private final AtomicInteger incarnationsAsked = new AtomicInteger();
  private final AtomicInteger hooksRun = new AtomicInteger();

  private HeartbeatConfig.Builder config() {
    return HeartbeatConfig.builder().clusterId(7).groupId(51).nodeId("director-1").priority(150)
        .advertisementInterval(Duration.ofMillis(100))
        .key(1, "a shared secret of 16+ bytes".getBytes(StandardCharsets.UTF_8))
        .destination(new InetSocketAddress("198.51.100.2", 5405))
        .preemptDelay(Duration.ofSeconds(30))
        .incarnations(() -> incarnationsAsked.incrementAndGet())
        .beforeMaster(reason -> {
          hooksRun.incrementAndGet();
          return CompletableFuture.completedFuture(null);
        }, Duration.ofSeconds(1));
  }

  private static List<VirtualAddress> vips() throws Exception {
    return List.of(VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0"),
        VirtualAddress.of(InetAddress.getByName("2001:db8::100"), 64, "eth0"));
  }

  @Test
  void everyRoundTakesOverAndNeverCallsTheRealConfigsIncarnationSourceOrHook() throws Exception {
    TakeOverWarmUp.Result r = TakeOverWarmUp.of(config().build()).virtualAddresses(vips()).rounds(20)
        .nativePath(false).run();
    assertEquals(20, r.rounds());
    assertEquals(20, r.tookOver(), "every copy became master, took the VIPs, announced and advertised");
    assertFalse(r.nativePath());
    assertEquals(0, incarnationsAsked.get(), "the copies have a fixed incarnation");
    assertEquals(0, hooksRun.get(), "the copies run no before-master hook");
  }

  @Test
  void aRealElectionOnTheSameSettingsWorksAsBeforeAfterAWarmUp() throws Exception {
    HeartbeatConfig c = config().beforeMaster(reason -> CompletableFuture.completedFuture(null), Duration.ofSeconds(1))
        .preemptDelay(Duration.ZERO).build();
    TakeOverWarmUp.of(c).virtualAddresses(vips()).rounds(5).nativePath(false).run();
    VirtualScheduler scheduler = VirtualScheduler.create();
    int[] sent = new int[1];
    VrrpElection real = new VrrpElection(c, new DatagramTransport() {
      @Override
      public void start(Consumer<Datagram> receiver) {}

      @Override
      public void send(InetSocketAddress destination, ByteBuffer payload) {
        sent[0]++;
      }

      @Override
      public void close() {}
    }, scheduler);
    real.start();
    assertEquals(Role.BACKUP, real.role());
    scheduler.clock().advanceBy(VrrpElection.masterDownInterval(150, Duration.ofMillis(100)).plusMillis(1));
    // The hook runs on a thread of its own and hands its result to the scheduler: run what it
    // queued, for 10 s of real time at most.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (real.role() != Role.MASTER && System.nanoTime() - deadline < 0) {
      scheduler.clock().runDue();
      Thread.sleep(1);
    }
    assertEquals(Role.MASTER, real.role(), "RFC 5798 6.4.2: master when the master-down timer expires");
    assertTrue(sent[0] > 0);
    assertEquals(1, incarnationsAsked.get(), "the real election asks for its incarnation once, at start");
  }

  @Test
  void aDirectorWithoutVirtualAddressesWarmsTheElectionAndTheMember() {
    TakeOverWarmUp.Result r = TakeOverWarmUp.of(config().build()).rounds(3).nativePath(false).run();
    assertEquals(3, r.tookOver());
  }

  @Test
  void aVrrp3ElectionIsWarmedOnItsOwnWireFormat() throws Exception {
    InetAddress primary = InetAddress.getByName("198.51.100.1");
    HeartbeatConfig c = config().nodeId(VrrpWireFormat.nodeId(primary))
        .destinations(List.of(new InetSocketAddress(VrrpCodec.group4(), 0))).virtualAddress(vips().get(0)).build();
    TakeOverWarmUp.Result r = TakeOverWarmUp.of(c, VrrpWireFormat.of(c, primary, false))
        .virtualAddresses(vips().subList(0, 1)).rounds(3).nativePath(false).run();
    assertEquals(3, r.tookOver());
  }

  @Test
  void roundsAreAWholeNumber() {
    TakeOverWarmUp w = TakeOverWarmUp.of(config().build());
    assertThrows(IllegalArgumentException.class, () -> w.rounds(-1));
    assertEquals(0, w.rounds(0).nativePath(false).run().tookOver());
  }

  @Test
  void theCopiesWriteNoLogLine() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      TakeOverWarmUp.of(config().build()).virtualAddresses(vips()).rounds(3).nativePath(false).run();
    } finally {
      System.setErr(err);
    }
    // slf4j-simple writes to System.err at INFO here (this module's surefire settings).
    assertEquals("", captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theNativePathRunsWhereNativeCodeIsAvailable() {
    assumeTrue(LinuxNative.isAvailable(), () -> "native code unavailable: " + LinuxNative.unavailabilityCause());
    assertTrue(TakeOverWarmUp.of(config().build()).rounds(0).run().nativePath());
  }
}
