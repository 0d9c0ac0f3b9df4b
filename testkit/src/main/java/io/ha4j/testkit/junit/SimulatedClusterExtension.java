package io.ha4j.testkit.junit;

import io.ha4j.testkit.cluster.ClusterConfig;
import io.ha4j.testkit.cluster.ClusterHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link ClusterHarness} parameters of {@link SimulatedCluster} tests and checks the
 * invariants after each one. Registered by the annotation; there is no need to name it.
 */
public final class SimulatedClusterExtension implements ParameterResolver, AfterEachCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SimulatedClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ClusterHarness.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    SimulatedCluster a = annotation(context);
    return context.getStore(NAMESPACE).getOrComputeIfAbsent("harness", k -> {
      ClusterHarness h = ClusterHarness.create(config(a), a.seed());
      h.start();
      return h;
    }, ClusterHarness.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ClusterHarness h = context.getStore(NAMESPACE).get("harness", ClusterHarness.class);
    if (h != null && annotation(context).checkInvariants() && context.getExecutionException().isEmpty()) {
      h.assertInvariants();
    }
  }

  /** The cluster an annotation describes. */
  static ClusterConfig config(SimulatedCluster a) {
    ClusterConfig c = ClusterConfig.of(a.nodes());
    if (a.priorities().length > 0) {
      if (a.priorities().length != a.nodes()) {
        throw new ParameterResolutionException("@SimulatedCluster has " + a.nodes() + " nodes but "
            + a.priorities().length + " priorities");
      }
      List<Integer> p = new ArrayList<>();
      for (int x : a.priorities()) {
        p.add(x);
      }
      c = c.withPriorities(p);
    }
    return c.withPreempt(a.preempt()).withAdvertisementInterval(Duration.ofMillis(a.advertisementMillis()));
  }

  private static SimulatedCluster annotation(ExtensionContext context) {
    return org.junit.platform.commons.support.AnnotationSupport
        .findAnnotation(context.getRequiredTestMethod(), SimulatedCluster.class)
        .orElseThrow(() -> new ParameterResolutionException(
            context.getRequiredTestMethod() + " is not annotated @SimulatedCluster"));
  }
}
