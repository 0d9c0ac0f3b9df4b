package io.ha4j.testkit.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether this process can program a real IPVS table: the running kernel has ip_vs loaded and the
 * process holds CAP_NET_ADMIN. Computed once; {@link #unavailabilityCause()} says exactly what is
 * missing.
 */
public final class IpvsAvailability {

  /** Where a kernel with ip_vs loaded lists the current network namespace's virtual services. */
  static final Path PROC_NET_IP_VS = Path.of("/proc/net/ip_vs");

  static final Path PROC_SELF_STATUS = Path.of("/proc/self/status");

  /** Bit of CAP_NET_ADMIN in the capability sets (linux/capability.h). */
  static final int CAP_NET_ADMIN = 12;

  static final String HOW_TO_RUN = "run testkit/vm/run-kernel-tests.sh";

  private static final @Nullable String CAUSE = cause(PROC_NET_IP_VS, PROC_SELF_STATUS);

  private IpvsAvailability() {}

  /** True when ip_vs is loaded and this process may change the IPVS table. */
  public static boolean isAvailable() {
    return CAUSE == null;
  }

  /** Why IPVS cannot be used here, or empty when it can. */
  public static Optional<String> unavailabilityCause() {
    return Optional.ofNullable(CAUSE);
  }

  /**
   * Throws when IPVS cannot be used here.
   *
   * @throws IllegalStateException naming the missing piece
   */
  public static void ensureAvailability() {
    if (CAUSE != null) {
      throw new IllegalStateException(CAUSE);
    }
  }

  /** The first missing piece, or null when both ip_vs and CAP_NET_ADMIN are there. */
  static @Nullable String cause(Path procNetIpVs, Path procSelfStatus) {
    if (!Files.exists(procNetIpVs)) {
      return procNetIpVs
          + " missing: ip_vs is not loaded in this kernel ("
          + System.getProperty("os.version")
          + "), so this is not the ip_vs VM; "
          + HOW_TO_RUN;
    }
    String capEff = effectiveCapabilities(procSelfStatus);
    if (capEff == null) {
      return "no CapEff line in " + procSelfStatus + ": cannot tell whether CAP_NET_ADMIN is held";
    }
    if (!new BigInteger(capEff, 16).testBit(CAP_NET_ADMIN)) {
      return "no CAP_NET_ADMIN (CapEff=" + capEff + "): IPVS changes need root or that capability";
    }
    return null;
  }

  private static @Nullable String effectiveCapabilities(Path procSelfStatus) {
    List<String> lines;
    try {
      lines = Files.readAllLines(procSelfStatus, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + procSelfStatus, e);
    }
    for (String line : lines) {
      if (line.startsWith("CapEff:")) {
        return line.substring("CapEff:".length()).trim();
      }
    }
    return null;
  }
}
