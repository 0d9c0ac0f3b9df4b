package io.ha4j.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReleaseMarginTest {

  // ZooKeeper 3.9.5 ClientCnxn: readTimeout = negotiatedSessionTimeout * 2 / 3; ClientCnxnSocketNIO.cleanup sleeps 100 ms.
  @Test
  void aThirdOfTheSessionLessTheClientsCleanup() {
    ReleaseMargin ten = ReleaseMargin.of(Duration.ofSeconds(10));
    assertEquals(Duration.ofMillis(6666), ten.readTimeout());
    assertEquals(Duration.ofMillis(3234), ten.margin());
    assertEquals(Duration.ofMillis(400), ReleaseMargin.of(Duration.ofMillis(1500)).margin());
    assertEquals(Duration.ofMillis(19900), ReleaseMargin.of(Duration.ofSeconds(60)).margin());
  }

  @Test
  void aSessionTooShortForAnyMarginIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ReleaseMargin.of(Duration.ofMillis(300)));
    assertEquals(Duration.ofMillis(1), ReleaseMargin.of(Duration.ofMillis(303)).margin());
  }
}
