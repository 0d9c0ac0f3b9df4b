package io.ha4j.testkit.vm;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link KernelTest} policy: run when IPVS is usable; otherwise skip with the reason, or fail
 * where kernel tests are required to run (CI, or inside the ip_vs VM).
 *
 * <p>A failure here is an exception thrown from the condition, which JUnit reports as a failed
 * test rather than a skipped one.
 */
public final class KernelTestCondition implements ExecutionCondition {

  /** Set by testkit/vm/kernel-vm.sh for the command it runs inside the VM. */
  public static final String VM_MARKER = "HA4J_KERNEL_VM";

  private final Optional<String> cause;
  private final Map<String, String> env;

  /** The condition for this process: its kernel, its capabilities, its environment. */
  public KernelTestCondition() {
    this(IpvsAvailability.unavailabilityCause(), System.getenv());
  }

  KernelTestCondition(Optional<String> cause, Map<String, String> env) {
    this.cause = cause;
    this.env = Map.copyOf(env);
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return evaluate();
  }

  ConditionEvaluationResult evaluate() {
    if (cause.isEmpty()) {
      return ConditionEvaluationResult.enabled("ip_vs is loaded and CAP_NET_ADMIN is held");
    }
    String why = cause.get();
    String required = requiredBy();
    if (required != null) {
      throw new IllegalStateException(
          "kernel test cannot run although " + required + " requires it: " + why);
    }
    return ConditionEvaluationResult.disabled("kernel test skipped: " + why);
  }

  /** The environment setting that forbids skipping, or null. */
  private @Nullable String requiredBy() {
    if ("true".equalsIgnoreCase(env.get("CI"))) {
      return "CI=true";
    }
    if ("1".equals(env.get(VM_MARKER))) {
      return VM_MARKER + "=1 (inside the ip_vs VM)";
    }
    return null;
  }
}
