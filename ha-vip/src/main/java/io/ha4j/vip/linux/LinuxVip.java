package io.ha4j.vip.linux;

import io.ha4j.api.address.AddressException;
import io.ha4j.netlink.NetlinkSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether ha-vip's Linux implementation can run here, in the style of Netty's {@code Epoll}: the
 * cause is worked out once and names what is missing (not Linux, JNA missing, CAP_NET_ADMIN or
 * CAP_NET_RAW not in the effective capability set).
 *
 * <p>Set the system property {@value #DISABLE_PROPERTY} to {@code true} to switch native code off.
 */
public final class LinuxVip {

  /** System property that, set to {@code true}, keeps ha-vip from loading native code. */
  public static final String DISABLE_PROPERTY = "io.ha4j.vip.noNative";

  static final int CAP_NET_ADMIN = 12;
  static final int CAP_NET_RAW = 13;

  private static final @Nullable Throwable CAUSE = computeCause();

  private LinuxVip() {}

  /** True when addresses can be managed and announced from this process. */
  public static boolean isAvailable() {
    return CAUSE == null;
  }

  /** Why not, or null when {@link #isAvailable()}. */
  public static @Nullable Throwable unavailabilityCause() {
    return CAUSE;
  }

  /**
   * Throws unless available.
   *
   * @throws AddressException NOT_PERMITTED for missing capabilities, OTHER otherwise
   */
  public static void ensureAvailability() {
    Throwable cause = CAUSE;
    if (cause != null) {
      AddressException.Reason reason = cause.getMessage() != null && cause.getMessage().contains("CAP_NET_")
          ? AddressException.Reason.NOT_PERMITTED : AddressException.Reason.OTHER;
      throw new AddressException(reason, 0, "ha-vip cannot run here: " + cause.getMessage(), cause);
    }
  }

  private static @Nullable Throwable computeCause() {
    if (Boolean.getBoolean(DISABLE_PROPERTY)) {
      return new UnsupportedOperationException("native code disabled by system property " + DISABLE_PROPERTY);
    }
    // Not Linux, JNA or libc missing, not LP64 (ha-linux), or netlink switched off.
    Throwable netlink = NetlinkSocket.unavailabilityCause();
    if (netlink != null) {
      return netlink;
    }
    String missing;
    try {
      missing = missingCapabilities(Files.readAllLines(Path.of("/proc/self/status")));
    } catch (IOException e) {
      return new UnsupportedOperationException("cannot read /proc/self/status for capabilities: " + e, e);
    }
    return missing.isEmpty() ? null : new UnsupportedOperationException(
        "missing " + missing + " in the effective capability set (needs CAP_NET_ADMIN and CAP_NET_RAW)");
  }

  /** The missing capabilities named from a /proc/PID/status text, e.g. "CAP_NET_RAW", or "" if none. */
  static String missingCapabilities(List<String> statusLines) {
    long eff = -1;
    for (String line : statusLines) {
      if (line.startsWith("CapEff:")) {
        eff = Long.parseUnsignedLong(line.substring(7).strip(), 16);
      }
    }
    if (eff == -1) {
      return "CapEff line";
    }
    List<String> missing = new ArrayList<>();
    if ((eff & (1L << CAP_NET_ADMIN)) == 0) {
      missing.add("CAP_NET_ADMIN");
    }
    if ((eff & (1L << CAP_NET_RAW)) == 0) {
      missing.add("CAP_NET_RAW");
    }
    return String.join(" and ", missing);
  }
}
