package io.ha4j.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.VirtualAddress;
import io.ha4j.api.election.Tracked;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class HeartbeatConfigTest {

  static HeartbeatConfig.Builder valid() {
    return HeartbeatConfig.builder().nodeId("n1").key(AdvertisementCodecTest.K1)
        .destination(new InetSocketAddress("127.0.0.1", 5999));
  }

  @Test
  void priorityIs1To254Or255ForTheOwner() {
    // RFC 5798 section 6.1: 255 is the address owner, 0 is reserved for "leaving".
    assertEquals(255, valid().priority(255).build().priority());
    var e = assertThrows(IllegalArgumentException.class, () -> valid().priority(0).build());
    assertEquals("priority must be 1..254 (or 255 for the address owner), was 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> valid().priority(256).build());
  }

  @Test
  void rejectsBadSettingsNamingThem() {
    assertEquals("advertisementInterval must be whole milliseconds in 10 ms .. 1 h, was PT0.005S",
        assertThrows(IllegalArgumentException.class,
            () -> valid().advertisementInterval(Duration.ofMillis(5)).build()).getMessage());
    assertEquals("groupId must be 1..255, was 0",
        assertThrows(IllegalArgumentException.class, () -> valid().groupId(0).build()).getMessage());
    assertEquals("stallThreshold must be in (0, 1], was 0.0",
        assertThrows(IllegalArgumentException.class, () -> valid().stallThreshold(0).build()).getMessage());
    assertEquals("destinations must name at least one peer or multicast group",
        assertThrows(IllegalArgumentException.class,
            () -> HeartbeatConfig.builder().nodeId("n1").key(AdvertisementCodecTest.K1).build()).getMessage());
    assertEquals("tracked interface eth0 needs a weight in -254..254, was 300",
        assertThrows(IllegalArgumentException.class, () -> valid().track(Tracked.networkInterface("eth0"), 300).build()).getMessage());
  }

  @Test
  void timingFollowsRfc5798Section6_1() {
    // Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256; Master_Down = 3 * MAI + Skew.
    assertEquals(Duration.ofMillis(609_375).dividedBy(1000),
        VrrpElection.skewTime(100, Duration.ofSeconds(1)));
    assertEquals(Duration.ofNanos(3_609_375_000L), VrrpElection.masterDownInterval(100, Duration.ofSeconds(1)));
  }

  @Test
  void aConfigIsAValueAndToBuilderCopiesEverySetting() throws Exception {
    // HeartbeatConfig's contract: compared by value; toBuilder() is preset with every setting, so a
    // variant (the take-over warm-up's twin, a reload) changes only what it sets.
    LongSupplier incarnations = () -> 7;
    BeforeMaster hook = reason -> CompletableFuture.completedFuture(null);
    HeartbeatConfig c = valid().clusterId(9).groupId(51).priority(150).advertisementInterval(Duration.ofMillis(100))
        .preempt(false).preemptDelay(Duration.ofSeconds(3)).track(Tracked.check("http"), -20)
        .virtualAddress(VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "eth0"))
        .stallThreshold(0.5).beforeMaster(hook, Duration.ofSeconds(2)).incarnations(incarnations)
        .advertisementCopies(2).witness(false).witnessPort(6000).witnessProbeTimeout(Duration.ofMillis(20))
        .witnessStagger(Duration.ofNanos(80_000)).build();
    HeartbeatConfig copy = c.toBuilder().build();
    assertEquals(c, copy);
    assertEquals(c.hashCode(), copy.hashCode());
    assertEquals(c.toString(), copy.toString());

    HeartbeatConfig twin = c.toBuilder().incarnations(() -> 1L).beforeMaster(BeforeMaster.NONE, c.beforeMasterTimeout())
        .preemptDelay(Duration.ZERO).build();
    assertNotEquals(c, twin);
    assertEquals(1L, twin.incarnations().getAsLong());
    assertEquals(BeforeMaster.NONE, twin.beforeMaster());
    assertEquals(Duration.ZERO, twin.preemptDelay());
    assertEquals(c.toBuilder().incarnations(twin.incarnations()).beforeMaster(BeforeMaster.NONE, Duration.ofSeconds(2))
        .preemptDelay(Duration.ZERO).build(), twin, "everything else as in the source");
    assertEquals(Duration.ofSeconds(3), c.preemptDelay(), "the source is unchanged");
    assertEquals("priority must be 1..254 (or 255 for the address owner), was 0",
        assertThrows(IllegalArgumentException.class, () -> c.toBuilder().priority(0).build()).getMessage(),
        "a preset builder checks as a new one does");
  }

  @Test
  void toStringNamesTheSettingsButNoSecret() {
    // HeartbeatKey "never shows the secret", and a configuration ends up in logs.
    String s = valid().build().toString();
    assertTrue(s.startsWith("HeartbeatConfig[clusterId=0, groupId=1, nodeId=n1, priority=100, "), s);
    assertTrue(s.contains("keys=[HeartbeatKey[id=1, secret=(16 bytes)]]"), s);
    assertFalse(s.contains("0123456789abcdef"), s);
  }

  @Test
  void theDeathWitnessIsOnByDefaultAndItsSettingsAreChecked() {
    HeartbeatConfig c = valid().build();
    assertTrue(c.witness());
    assertEquals(HeartbeatConfig.DEFAULT_WITNESS_PORT, c.witnessPort());
    assertEquals(Duration.ofMillis(10), c.witnessProbeTimeout());
    assertEquals(Duration.ofNanos(50_000), c.witnessStagger());
    assertEquals("witnessPort must be 1..65535, was 0",
        assertThrows(IllegalArgumentException.class, () -> valid().witnessPort(0).build()).getMessage());
    assertEquals("witnessProbeTimeout must be positive and at most the advertisement interval, was PT2S",
        assertThrows(IllegalArgumentException.class,
            () -> valid().witnessProbeTimeout(Duration.ofSeconds(2)).build()).getMessage());
    assertEquals("witnessStagger must be 0 .. 1 ms, was PT0.002S",
        assertThrows(IllegalArgumentException.class,
            () -> valid().witnessStagger(Duration.ofMillis(2)).build()).getMessage());
    assertTrue(c.toString().contains("witness=true, witnessPort=5407"), c.toString());
  }
}
