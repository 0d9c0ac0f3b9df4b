package io.ha4j.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PrerequisitesTest {

  @Test
  void missingPrerequisiteSkipsWithReasonOutsideCiAndFailsInCi() {
    Class<? extends Throwable> expected = Prerequisites.inCi() ? IllegalStateException.class : TestAbortedException.class;
    Throwable t = assertThrows(expected, () -> Prerequisites.check("netns test", "not root", "run as root"));
    assertTrue(t.getMessage().contains("not root") && t.getMessage().contains("run as root"), t.getMessage());
  }

  @Test
  void presentPrerequisiteLetsTheTestRun() {
    assertDoesNotThrow(() -> Prerequisites.check("netns test", null, "run as root"));
  }
}
