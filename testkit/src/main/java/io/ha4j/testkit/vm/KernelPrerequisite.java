package io.ha4j.testkit.vm;

import io.ha4j.testkit.junit.Prerequisites;
import io.ha4j.testkit.netns.NetnsPrerequisite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The check behind {@link KernelTest}: a loaded ip_vs, plus what network namespaces need (kernel
 * tests keep their IPVS tables in namespaces of their own). Missing pieces skip the test with the
 * reason, or fail it under {@code CI=true} ({@link Prerequisites}) and always inside the ip_vs VM,
 * where a missing ip_vs means the harness itself is broken.
 */
public final class KernelPrerequisite implements BeforeAllCallback, BeforeEachCallback {

  /** Set by testkit/vm/kernel-vm.sh for the command it runs inside the VM. */
  public static final String VM_MARKER = "HA4J_KERNEL_VM";

  /** Where a kernel with ip_vs loaded lists the calling namespace's virtual services. */
  static final Path PROC_NET_IP_VS = Path.of("/proc/net/ip_vs");

  static final String HOW_TO_RUN = "run testkit/vm/run-kernel-tests.sh";

  // Checked before each test too: @KernelTest may sit on a method, where no beforeAll sees it.
  @Override
  public void beforeAll(ExtensionContext context) {
    check(missing(), System.getenv());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    check(missing(), System.getenv());
  }

  /** Why kernel tests cannot run here, or null when they can. */
  public static @Nullable String missing() {
    return missing(PROC_NET_IP_VS, NetnsPrerequisite.missing());
  }

  static @Nullable String missing(Path procNetIpVs, @Nullable String netnsMissing) {
    if (!Files.exists(procNetIpVs)) {
      return procNetIpVs
          + " missing: ip_vs is not loaded in this kernel ("
          + System.getProperty("os.version")
          + "), so this is not the ip_vs VM";
    }
    return netnsMissing;
  }

  static void check(@Nullable String missing, Map<String, String> env) {
    if (missing != null && "1".equals(env.get(VM_MARKER))) {
      throw new IllegalStateException(
          "kernel test cannot run inside the ip_vs VM ("
              + VM_MARKER
              + "=1): "
              + missing
              + "; the VM harness (testkit/vm) is broken, this is a failure, not a skip");
    }
    Prerequisites.check("kernel test", missing, HOW_TO_RUN);
  }
}
