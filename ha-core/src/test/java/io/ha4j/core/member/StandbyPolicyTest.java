package io.ha4j.core.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ha4j.api.member.ApplicationControl;
import io.ha4j.api.member.SpareActivation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The standby policies of the classic LVS high-availability design: hot, warm, cold. */
class StandbyPolicyTest {

  private static final ApplicationControl APP = new ApplicationControl() {
    @Override
    public CompletableFuture<Void> start() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void stop() {}
  };
  private static final SpareActivation SPARE = (live, minimum) -> {};

  @Test
  void aWarmStandbyNeedsAPositiveStartTimeoutAndAColdOneAtLeastOneLiveMember() {
    assertThrows(IllegalArgumentException.class, () -> StandbyPolicy.warm(APP, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> StandbyPolicy.warm(APP, Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> StandbyPolicy.warm(null, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> StandbyPolicy.cold(SPARE, 0));
    assertThrows(NullPointerException.class, () -> StandbyPolicy.cold(null, 2));
    assertEquals(Duration.ofSeconds(10), StandbyPolicy.warm(APP, Duration.ofSeconds(10)).startTimeout());
    assertEquals(1, StandbyPolicy.cold(SPARE, 1).minimumLiveMembers());
  }
}
