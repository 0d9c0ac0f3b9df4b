package io.ha4j.ipvs;

import io.ha4j.linux.Errno;
import io.ha4j.netlink.GenericNetlink;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether the kernel IPVS table can be programmed from this process, and if not, why: not Linux,
 * JNA missing, native code disabled ({@value NetlinkSocket#DISABLE_PROPERTY}), no
 * {@code CAP_NET_ADMIN}, or no {@code IPVS} generic netlink family (the {@code ip_vs} module is not
 * loaded). Computed once, on first use.
 */
public final class Ipvs {

  /** The generic netlink family name ({@code IPVS_GENL_NAME}). */
  public static final String FAMILY_NAME = "IPVS";

  /** {@code CAP_NET_ADMIN} ({@code linux/capability.h}). */
  private static final int CAP_NET_ADMIN = 12;

  private Ipvs() {}

  private static final class Holder {
    static final @Nullable Throwable CAUSE = computeCause();
  }

  private static @Nullable Throwable computeCause() {
    Throwable socketCause = NetlinkSocket.unavailabilityCause();
    if (socketCause != null) {
      return socketCause;
    }
    Throwable cap = capabilityCause(Path.of("/proc/self/status"));
    if (cap != null) {
      return cap;
    }
    try (NetlinkConnection c = new NetlinkConnection(NetlinkSocket.open(Netlink.PROTOCOL_GENERIC))) {
      new GenericNetlink(c).familyId(FAMILY_NAME);
      return null;
    } catch (NetlinkException e) {
      if (e.kind() == NetlinkException.Kind.KERNEL && Errno.ENOENT.is(e.errno())) {
        return new UnsupportedOperationException(
            "no IPVS generic netlink family (ip_vs module not loaded)", e);
      }
      return e;
    }
  }

  /** Why {@code CAP_NET_ADMIN} is missing according to a {@code /proc/PID/status} file, or null. */
  static @Nullable Throwable capabilityCause(Path status) {
    try {
      List<String> lines = Files.readAllLines(status);
      for (String line : lines) {
        if (line.startsWith("CapEff:")) {
          long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
          return (caps & (1L << CAP_NET_ADMIN)) != 0 ? null
              : new UnsupportedOperationException("no CAP_NET_ADMIN (effective capabilities "
                  + Long.toHexString(caps) + ")");
        }
      }
      return new UnsupportedOperationException("no CapEff line in " + status);
    } catch (IOException | NumberFormatException e) {
      return new UnsupportedOperationException("cannot read capabilities from " + status + ": " + e, e);
    }
  }

  /** Whether {@link IpvsClient#open()} can work here. */
  public static boolean isAvailable() {
    return Holder.CAUSE == null;
  }

  /** Throws {@link UnsupportedOperationException} with the cause if IPVS cannot be used. */
  public static void ensureAvailability() {
    Throwable cause = Holder.CAUSE;
    if (cause != null) {
      throw new UnsupportedOperationException("IPVS unavailable: " + cause.getMessage(), cause);
    }
  }

  /** Why IPVS cannot be used, or null if it can. */
  public static @Nullable Throwable unavailabilityCause() {
    return Holder.CAUSE;
  }
}
