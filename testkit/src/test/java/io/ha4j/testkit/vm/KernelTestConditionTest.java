package io.ha4j.testkit.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

// Expectation source: the project's rule (helper brief, "Tests"): a kernel test that cannot run is
// skipped with the reason, except with CI=true (or inside the ip_vs VM), where it fails.
class KernelTestConditionTest {

  private static final Optional<String> MISSING = Optional.of("/proc/net/ip_vs missing: test cause");

  @Test
  void runsWhenIpvsIsUsable() {
    ConditionEvaluationResult result =
        new KernelTestCondition(Optional.empty(), Map.of("CI", "true")).evaluate();
    assertFalse(result.isDisabled());
  }

  @Test
  void skipsWithTheCauseOutsideCi() {
    ConditionEvaluationResult result = new KernelTestCondition(MISSING, Map.of()).evaluate();
    assertTrue(result.isDisabled());
    assertEquals(
        Optional.of("kernel test skipped: /proc/net/ip_vs missing: test cause"), result.getReason());
  }

  @Test
  void skipsWhenCiIsSetToSomethingElse() {
    assertTrue(new KernelTestCondition(MISSING, Map.of("CI", "false")).evaluate().isDisabled());
  }

  @Test
  void failsUnderCi() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new KernelTestCondition(MISSING, Map.of("CI", "true")).evaluate());
    assertEquals(
        "kernel test cannot run although CI=true requires it: /proc/net/ip_vs missing: test cause",
        e.getMessage());
  }

  @Test
  void failsInsideTheVmEvenWithoutCi() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new KernelTestCondition(MISSING, Map.of("HA4J_KERNEL_VM", "1")).evaluate());
    assertTrue(e.getMessage().contains("HA4J_KERNEL_VM=1 (inside the ip_vs VM)"), e.getMessage());
  }
}
