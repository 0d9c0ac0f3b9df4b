package io.ha4j.it.heartbeat.vrrp;

import io.ha4j.testkit.netns.NetnsRig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The IPv6 link-local address of a rig host, the source of VRRPv3 over IPv6 (RFC 5798 5.1.2.1). */
final class LinkLocal {

  private static final Pattern INET6 = Pattern.compile("inet6 (fe80::[0-9a-f:]+)/64");

  private LinkLocal() {}

  /**
   * Waits until host {@code i}'s link-local address has passed duplicate address detection (the
   * rig adds its global address with nodad, but the kernel makes the link-local one itself).
   */
  static InetAddress of(NetnsRig rig, int i) {
    long start = System.nanoTime();
    String out = "";
    while (System.nanoTime() - start < 10_000_000_000L) {
      out = rig.exec(i, "ip", "-6", "-o", "addr", "show", "dev", rig.interfaceName(i), "scope", "link").stdout();
      Matcher m = INET6.matcher(out);
      if (m.find() && !out.contains("tentative")) {
        try {
          return InetAddress.getByName(m.group(1));
        } catch (UnknownHostException e) {
          throw new AssertionError(e);
        }
      }
      LockSupport.parkNanos(20_000_000);
    }
    throw new AssertionError("no usable link-local address on host " + i + " within 10 s: " + out);
  }
}
