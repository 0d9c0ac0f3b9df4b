package io.ha4j.heartbeat;

import static io.ha4j.heartbeat.ElectionFixture.INTERVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.api.Role;
import io.ha4j.heartbeat.Advertisement;
import io.ha4j.heartbeat.VrrpElection;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One test per transition and timer of RFC 5798 section 6.4, on the virtual scheduler. Each test
 * quotes the rule it checks. The member under test is n1, priority 100 unless said otherwise,
 * advertisement interval 1 s.
 */
class Rfc5798Section6_4Test {

  static final Duration NS = Duration.ofNanos(1);

  @Nested
  class Initialize_6_4_1 {

    @Test
    void priority255_sendsAdvertisement_setsAdverTimer_transitionsToMaster() {
      // 6.4.1: "If the Priority = 255 ... Send an ADVERTISEMENT ... Set the Adver_Timer to
      // Advertisement_Interval ... Transition to the {Master} state"
      ElectionFixture f = new ElectionFixture(255).started();
      assertEquals(Role.MASTER, f.role());
      assertEquals(1, f.sent().size());
      assertEquals(255, f.lastSent().priority());
      assertEquals(Role.MASTER, f.lastSent().state());
      f.advance(INTERVAL.minus(NS));
      assertEquals(1, f.sent().size());
      f.advance(NS);
      assertEquals(2, f.sent().size(), "Adver_Timer = Advertisement_Interval");
      assertEquals(Role.INIT, f.changes.get(0).from());
    }

    @Test
    void otherwise_setsMasterDownTimerToMasterDownInterval_transitionsToBackup() {
      // 6.4.1: "else ... Set Master_Adver_Interval to Advertisement_Interval, Set the
      // Master_Down_Interval ..., Set the Master_Down_Timer to Master_Down_Interval, Transition to
      // the {Backup} state"
      ElectionFixture f = new ElectionFixture(100).started();
      assertEquals(Role.BACKUP, f.role());
      assertEquals(0, f.sent().size(), "a backup does not advertise");
      assertEquals(Duration.ofNanos(3_609_375_000L), f.masterDownInterval());
      f.advance(f.masterDownInterval().minus(NS));
      assertEquals(Role.BACKUP, f.role());
      f.advance(NS);
      assertEquals(Role.MASTER, f.role());
    }
  }

  @Nested
  class Backup_6_4_2 {

    @Test
    void shutdown_cancelsMasterDownTimer_transitionsToInitialize() {
      // 6.4.2: "If a Shutdown event is received, then: Cancel the Master_Down_Timer, Transition to
      // the {Initialize} state"
      ElectionFixture f = new ElectionFixture(100).started();
      f.election.stop();
      assertEquals(Role.INIT, f.role());
      f.advance(Duration.ofSeconds(30));
      assertEquals(Role.INIT, f.role());
      assertEquals(0, f.sent().size());
    }

    @Test
    void masterDownTimerFires_sendsAdvertisement_setsAdverTimer_transitionsToMaster() {
      // 6.4.2: "If the Master_Down_Timer fires, then: Send an ADVERTISEMENT ..., Set the
      // Adver_Timer to Advertisement_Interval, Transition to the {Master} state"
      ElectionFixture f = new ElectionFixture(100).started();
      f.advance(f.masterDownInterval());
      assertEquals(Role.MASTER, f.role());
      assertEquals("master-down timer expired", f.lastChange().reason());
      assertEquals(1, f.sent().size());
      assertEquals(100, f.lastSent().priority());
      f.advance(INTERVAL);
      assertEquals(2, f.sent().size());
    }

    @Test
    void advertisementWithPriorityZero_setsMasterDownTimerToSkewTime() {
      // 6.4.2: "If the Priority in the ADVERTISEMENT is zero, then: Set the Master_Down_Timer to
      // Skew_Time"
      ElectionFixture f = new ElectionFixture(100).started();
      f.receive("n2", 200);
      f.advance(Duration.ofMillis(500));
      f.receive("n2", 0);
      assertEquals(Duration.ofNanos(609_375_000L), f.skew());
      f.advance(f.skew().minus(NS));
      assertEquals(Role.BACKUP, f.role());
      f.advance(NS);
      assertEquals(Role.MASTER, f.role());
      assertEquals("master n2 left (priority 0), skew time passed", f.lastChange().reason());
    }

    @Test
    void advertisementWithHigherPriority_learnsMasterAdverInterval_resetsMasterDownTimer() {
      // 6.4.2: "if the Priority in the ADVERTISEMENT is greater than or equal to the local
      // Priority, then: Set Master_Adver_Interval to Adver Interval contained in the ADVERTISEMENT,
      // Recompute the Master_Down_Interval, Reset the Master_Down_Timer to Master_Down_Interval"
      ElectionFixture f = new ElectionFixture(100).started();
      f.advance(Duration.ofSeconds(3));
      Duration learned = Duration.ofMillis(400);
      f.receive("n2", 200, learned);
      Duration mdi = VrrpElection.masterDownInterval(100, learned);
      f.advance(mdi.minus(NS));
      assertEquals(Role.BACKUP, f.role());
      f.advance(NS);
      assertEquals(Role.MASTER, f.role(), "timer re-armed to 3 x 400 ms + skew of the learned interval");
    }

    @Test
    void advertisementWithEqualPriority_resetsMasterDownTimer() {
      // 6.4.2: "greater than or equal to the local Priority" -> reset; equal priority is a master.
      ElectionFixture f = new ElectionFixture(100).started();
      for (int i = 0; i < 10; i++) {
        f.advance(INTERVAL);
        f.receive("n0", 100);
      }
      assertEquals(Role.BACKUP, f.role());
      f.advance(f.masterDownInterval());
      assertEquals(Role.MASTER, f.role());
    }

    @Test
    void preemptFalse_lowerPriorityAdvertisement_resetsMasterDownTimer() {
      // 6.4.2: "If Preempt_Mode is False, or if the Priority in the ADVERTISEMENT is greater than
      // or equal to the local Priority" -> reset the Master_Down_Timer.
      ElectionFixture f = new ElectionFixture(b -> b.priority(200).preempt(false)).started();
      for (int i = 0; i < 10; i++) {
        f.advance(INTERVAL);
        f.receive("n2", 50);
      }
      assertEquals(Role.BACKUP, f.role());
      assertEquals(0, f.sent().size());
    }

    @Test
    void preemptTrue_lowerPriorityAdvertisement_isDiscarded_soTheBackupTakesOver() {
      // 6.4.2: "else (Priority less than the local Priority and Preempt_Mode is True): Discard
      // the ADVERTISEMENT" -> the Master_Down_Timer runs out.
      ElectionFixture f = new ElectionFixture(200).started();
      Duration mdi = f.masterDownInterval();
      long start = f.clock.nanoTime();
      while (f.role() == Role.BACKUP) {
        f.receive("n2", 50);
        f.advance(Duration.ofMillis(250));
      }
      assertEquals(Role.MASTER, f.role());
      Duration took = f.clock.since(start);
      assertTrue(took.compareTo(mdi) >= 0 && took.compareTo(mdi.plusMillis(250)) <= 0, took.toString());
    }

    @Test
    void preemptTrue_theFollowedMastersPriorityFallsBelowOurs_soTheBackupPreemptsAfterTheSkewTime() {
      // ha4j deviates from "Discard the ADVERTISEMENT" on purpose (issue 17 item 3): when the
      // master it followed lowers its priority below ours, a preempting backup takes over after
      // its skew time, as for a priority-0 notice, not after the Master_Down_Interval.
      ElectionFixture f = new ElectionFixture(200).started();
      f.receive("n2", 250);
      f.advance(Duration.ofMillis(500));
      Duration skew = VrrpElection.skewTime(200, ElectionFixture.INTERVAL);
      long start = f.clock.nanoTime();
      f.receive("n2", 150);
      while (f.role() == Role.BACKUP && f.clock.since(start).compareTo(Duration.ofSeconds(10)) < 0) {
        f.advance(Duration.ofMillis(1));
      }
      assertEquals(Role.MASTER, f.role());
      Duration took = f.clock.since(start);
      assertTrue(took.compareTo(skew) >= 0 && took.compareTo(skew.plusMillis(1)) <= 0, took + ", skew " + skew);
    }
  }

  @Nested
  class Master_6_4_3 {

    ElectionFixture master(int priority) {
      ElectionFixture f = new ElectionFixture(priority).started();
      f.advance(f.masterDownInterval());
      assertEquals(Role.MASTER, f.role());
      return f;
    }

    @Test
    void shutdown_cancelsAdverTimer_sendsPriorityZero_transitionsToInitialize() {
      // 6.4.3: "If a Shutdown event is received, then: Cancel the Adver_Timer, Send an
      // ADVERTISEMENT with Priority = 0, Transition to the {Initialize} state"
      ElectionFixture f = master(100);
      int before = f.sent().size();
      f.election.stop();
      assertEquals(Role.INIT, f.role());
      assertEquals(before + 1, f.sent().size());
      assertEquals(0, f.lastSent().priority());
      f.advance(Duration.ofSeconds(10));
      assertEquals(before + 1, f.sent().size(), "Adver_Timer cancelled");
    }

    @Test
    void adverTimerFires_sendsAdvertisement_resetsAdverTimer() {
      // 6.4.3: "If the Adver_Timer fires, then: Send an ADVERTISEMENT, Reset the Adver_Timer to
      // Advertisement_Interval"
      ElectionFixture f = master(100);
      int before = f.sent().size();
      for (int i = 1; i <= 5; i++) {
        f.advance(INTERVAL.minus(NS));
        assertEquals(before + i - 1, f.sent().size());
        f.advance(NS);
        assertEquals(before + i, f.sent().size());
      }
      Advertisement a = f.lastSent();
      assertEquals(Role.MASTER, a.state());
      assertEquals(INTERVAL, a.interval());
    }

    @Test
    void advertisementWithPriorityZero_sendsAdvertisement_resetsAdverTimer() {
      // 6.4.3: "If the Priority in the ADVERTISEMENT is zero, then: Send an ADVERTISEMENT, Reset
      // the Adver_Timer to Advertisement_Interval"
      ElectionFixture f = master(100);
      f.advance(Duration.ofMillis(300));
      int before = f.sent().size();
      f.receive("n2", 0);
      assertEquals(before + 1, f.sent().size(), "sent at once");
      f.advance(INTERVAL.minus(NS));
      assertEquals(before + 1, f.sent().size(), "timer was reset, not left at its old deadline");
      f.advance(NS);
      assertEquals(before + 2, f.sent().size());
      assertEquals(Role.MASTER, f.role());
    }

    @Test
    void higherPriorityAdvertisement_cancelsAdverTimer_learnsInterval_transitionsToBackup() {
      // 6.4.3: "If the Priority in the ADVERTISEMENT is greater than the local Priority ... Cancel
      // Adver_Timer, Set Master_Adver_Interval to Adver Interval contained in the ADVERTISEMENT,
      // Recompute the Master_Down_Interval, Set Master_Down_Timer to Master_Down_Interval,
      // Transition to the {Backup} state"
      ElectionFixture f = master(100);
      int before = f.sent().size();
      Duration learned = Duration.ofMillis(200);
      f.receive("n2", 150, learned);
      assertEquals(Role.BACKUP, f.role());
      assertEquals("higher priority 150 from n2", f.lastChange().reason());
      // Our extension: one step-down notice (state BACKUP) for the new master, then silence.
      assertEquals(before + 1, f.sent().size());
      assertEquals(Role.BACKUP, f.lastSent().state());
      Duration mdi = VrrpElection.masterDownInterval(100, learned);
      f.advance(mdi.minus(NS));
      assertEquals(before + 1, f.sent().size(), "Adver_Timer cancelled");
      assertEquals(Role.BACKUP, f.role());
      f.advance(NS);
      assertEquals(Role.MASTER, f.role());
    }

    @Test
    void equalPriorityFromHigherNodeId_transitionsToBackup() {
      // 6.4.3: "or if the Priority in the ADVERTISEMENT is equal to the local Priority and the
      // primary IPvX Address of the sender is greater than the local primary IPvX Address" -- the
      // node id plays the part of the primary address.
      ElectionFixture f = master(100);
      f.receive("n2", 100);
      assertEquals(Role.BACKUP, f.role());
      assertEquals("equal priority, higher node id, 100 from n2", f.lastChange().reason());
    }

    @Test
    void equalPriorityFromLowerNodeId_isDiscarded() {
      // 6.4.3: "Otherwise: Discard the ADVERTISEMENT" (n0 < n1)
      ElectionFixture f = master(100);
      f.receive("n0", 100);
      assertEquals(Role.MASTER, f.role());
    }

    @Test
    void lowerPriorityAdvertisement_isDiscarded_masterStaysMaster() {
      // 6.4.3: "Otherwise: Discard the ADVERTISEMENT" -- the role does not change.
      ElectionFixture f = master(100);
      for (int i = 0; i < 5; i++) {
        f.receive("n2", 99);
        f.advance(INTERVAL);
      }
      assertEquals(Role.MASTER, f.role());
    }
  }
}
