package io.ha4j.testkit.netns;

import io.ha4j.testkit.junit.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The check behind {@link NetnsTest}. */
public final class NetnsPrerequisite implements BeforeAllCallback {

  private static final int CAP_NET_ADMIN = 12;
  private static final int CAP_SYS_ADMIN = 21;

  @Override
  public void beforeAll(ExtensionContext context) {
    Prerequisites.check("netns test", missing(), "run the tests as root on Linux with iproute2 installed, as CI does");
  }

  /** Why network namespaces cannot be built here, or null when they can. */
  public static @Nullable String missing() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return "not Linux (os.name=" + System.getProperty("os.name") + ")";
    }
    BigInteger caps = effectiveCapabilities();
    if (caps == null) {
      return "cannot read CapEff from /proc/self/status";
    }
    if (!caps.testBit(CAP_SYS_ADMIN)) {
      return "no CAP_SYS_ADMIN (needed to create network namespaces): not root";
    }
    if (!caps.testBit(CAP_NET_ADMIN)) {
      return "no CAP_NET_ADMIN";
    }
    if (!onPath("ip")) {
      return "the 'ip' command (iproute2) is not on PATH";
    }
    return null;
  }

  private static @Nullable BigInteger effectiveCapabilities() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("CapEff:")) {
          return new BigInteger(line.substring("CapEff:".length()).trim(), 16);
        }
      }
      return null;
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    String[] dirs = (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path + ":/usr/sbin:/sbin").split(File.pathSeparator);
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
