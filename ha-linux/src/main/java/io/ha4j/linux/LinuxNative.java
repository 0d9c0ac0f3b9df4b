package io.ha4j.linux;

import io.ha4j.linux.internal.Libc;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Whether ha4j's native layer can run in this JVM at all, in the style of Netty's {@code Epoll}:
 * worked out once, and naming what is missing: not Linux, JNA or libc not loadable, or not a 64-bit
 * (LP64) libc. Each native implementation's own check ({@code Ipvs}, {@code LinuxVip}, the
 * heartbeat transports, {@link io.ha4j.netlink.NetlinkSocket}) starts from this cause, adds its
 * own (a switch-off property, capabilities, a kernel module) and offers {@code isAvailable()},
 * {@code unavailabilityCause()} and {@code ensureAvailability()} with its own exception.
 */
public final class LinuxNative {

  private static final @Nullable Throwable UNAVAILABILITY_CAUSE = computeCause();

  private LinuxNative() {}

  private static @Nullable Throwable computeCause() {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return new UnsupportedOperationException("not Linux: " + os);
    }
    try {
      Libc.probe();
      return null;
    } catch (UnsupportedOperationException e) {
      return e;
    } catch (LinkageError | RuntimeException e) {
      return new UnsupportedOperationException("JNA missing or cannot load libc: " + e, e);
    }
  }

  /** True when the libc binding works here. */
  public static boolean isAvailable() {
    return UNAVAILABILITY_CAUSE == null;
  }

  /** Why the libc binding cannot work here, or null when {@link #isAvailable()}. */
  public static @Nullable Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }
}
