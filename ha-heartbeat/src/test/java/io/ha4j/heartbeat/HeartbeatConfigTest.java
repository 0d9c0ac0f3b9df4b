package io.ha4j.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ha4j.api.election.Tracked;
import java.net.InetSocketAddress;
import java.time.Duration;
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
}
