package io.ha4j.heartbeat;

import static io.ha4j.heartbeat.ElectionFixture.INTERVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link VrrpElection#probePeers}: a master told that another host claims its address (a split
 * brain whose election traffic is blocked while ARP flows) notices the heal within a probe period,
 * not at the next advertisement (issue 17 item 2), and stops probing when a peer answers; after the
 * window it probes slower.
 */
class PeerProbeTest {

  private static final String WHY = "198.51.100.100/24 dev veth1 claimed by 02:00:00:00:00:02";

  /** n1 (200) and n2 (100) both master: n1 cannot hear or reach n2 (isolated), as behind a firewall. */
  private static SimulatedLan splitBrain() {
    SimulatedLan lan = VrrpElectionTest.n1At200AndN2At100AfterTenSeconds();
    lan.get("n1").isolated = true;
    lan.advance(Duration.ofSeconds(10));
    assertEquals(List.of("n1", "n2"), lan.masters(), "split brain while isolated");
    return lan;
  }

  @Test
  void aProbingMasterNoticesTheHealWithinAProbePeriodAndReannounces() {
    SimulatedLan lan = splitBrain();
    SimulatedLan.Member n1 = lan.get("n1");
    n1.election.probePeers(WHY);
    // Half an interval on: the normal advertisements of either side are far from crossing.
    lan.advance(INTERVAL.dividedBy(2));
    n1.isolated = false;
    Duration took = lan.advanceUntil(() -> lan.masters().equals(List.of("n1")) && n1.reannounces.size() == 1,
        Duration.ofSeconds(5));
    // A probe period, the probe's and the step-down notice's latency, and the 1 ms steps of advanceUntil.
    Duration bound = PeerProbe.PERIOD.plus(SimulatedLan.LATENCY.multipliedBy(2)).plusMillis(2);
    assertTrue(took.compareTo(bound) <= 0, "healed and re-announced within a probe period: " + took + ", bound " + bound);
    long probes = n1.election.peerProbes();
    assertTrue(probes > 0, "probed");
    lan.advance(Duration.ofSeconds(2));
    assertEquals(probes, n1.election.peerProbes(), "the answer ended the probing");
    assertEquals(1, n1.reannounces.size(), n1.reannounces.toString());
  }

  @Test
  void withoutAnAnswerProbingSlowsDownAfterTheWindowAndStillNoticesALateHeal() {
    SimulatedLan lan = splitBrain();
    SimulatedLan.Member n1 = lan.get("n1");
    n1.election.probePeers(WHY);
    lan.advance(PeerProbe.WINDOW);
    long probes = n1.election.peerProbes();
    long most = PeerProbe.WINDOW.dividedBy(PeerProbe.PERIOD) + 1;
    assertTrue(probes >= most - 1 && probes <= most, probes + " probes in the window, expected about " + most);
    lan.advance(Duration.ofSeconds(60));
    long late = n1.election.peerProbes() - probes;
    long expected = Duration.ofSeconds(60).dividedBy(PeerProbe.LATE_PERIOD);
    assertTrue(late >= expected - 1 && late <= expected + 1, late + " probes in the minute after it, expected " + expected);
    // The firewall is fixed a minute after the last claim, at a random phase of the adverts.
    lan.advance(INTERVAL.dividedBy(3));
    n1.isolated = false;
    Duration took = lan.advanceUntil(() -> lan.masters().equals(List.of("n1")) && n1.reannounces.size() == 1,
        Duration.ofSeconds(5));
    Duration bound = PeerProbe.LATE_PERIOD.plus(SimulatedLan.LATENCY.multipliedBy(2)).plusMillis(2);
    assertTrue(took.compareTo(bound) <= 0, "a late heal noticed within the late probe period: " + took + ", bound " + bound);
    long answered = n1.election.peerProbes();
    lan.advance(Duration.ofSeconds(2));
    assertEquals(answered, n1.election.peerProbes(), "the answer ended the probing");
  }

  @Test
  void aNewConflictExtendsTheWindow() {
    SimulatedLan lan = splitBrain();
    SimulatedLan.Member n1 = lan.get("n1");
    n1.election.probePeers(WHY);
    lan.advance(PeerProbe.WINDOW.minusSeconds(1));
    n1.election.probePeers(WHY);
    lan.advance(Duration.ofSeconds(5));
    long probes = n1.election.peerProbes();
    lan.advance(Duration.ofMillis(100));
    assertTrue(n1.election.peerProbes() > probes, "still probing 4 s after the first window ended");
  }

  @Test
  void aBackupDoesNotProbe() {
    SimulatedLan lan = VrrpElectionTest.n1At200AndN2At100AfterTenSeconds();
    lan.get("n2").election.probePeers(WHY);
    lan.advance(Duration.ofSeconds(1));
    assertEquals(0, lan.get("n2").election.peerProbes());
  }
}
