package io.ha4j.testkit.vm;

import io.ha4j.testkit.netns.Commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.testkit.netns.ExecResult;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves the ip_vs VM harness: a real IPVS table, in a network namespace of the test's own (each
 * namespace has its own table), driven by ipvsadm 1.31.
 *
 * <p>Expected lines follow ipvsadm 1.31's save format ({@code -S}, its FMT_RULE output) and the
 * kernel 6.1 ip_vs_ctl.c behaviour; both were observed on this VM's kernel before being written
 * here. Each test loads its rules with one {@code ipvsadm -R} (which parses the same command
 * lines as separate calls) because every process start costs a good fraction of a second under
 * emulation.
 */
@KernelTest
class KernelVmSmokeIT {

  private static String ns = "";

  @BeforeAll
  static void createNamespace() {
    ns = "ha4j-vm-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    Commands.ok("ip", "netns", "add", ns);
    // With lo down a fresh namespace has no local routing table, inet_addr_type() then calls
    // every real server address broadcast, and ip_vs_ctl.c refuses DR/TUN destinations (EINVAL).
    Commands.ok("ip", "-n", ns, "link", "set", "lo", "up");
  }

  @AfterAll
  static void removeNamespace() {
    if (!ns.isEmpty()) {
      Commands.run("ip", "netns", "del", ns);
    }
  }

  /** ipvsadm in the test's namespace (nsenter: cheaper than ip netns exec's sysfs remount). */
  private static String[] ipvsadm(String... args) {
    String[] argv = new String[args.length + 3];
    argv[0] = "nsenter";
    argv[1] = "--net=/run/netns/" + ns;
    argv[2] = "ipvsadm";
    System.arraycopy(args, 0, argv, 3, args.length);
    return argv;
  }

  /** Replaces the namespace's table with these ipvsadm command lines. */
  private static void restore(String... rules) {
    Commands.runWithInput("-C\n" + String.join("\n", rules) + "\n", ipvsadm("-R")).orThrow();
  }

  private static List<String> savedRules() {
    return Commands.ok(ipvsadm("-S", "-n")).stdout().lines().toList();
  }

  @Test
  void directRoutingServiceReadsBackAsSaved() {
    restore(
        "-A -t 198.51.100.1:80 -s rr",
        "-a -t 198.51.100.1:80 -r 203.0.113.10:80 -g",
        "-a -t 198.51.100.1:80 -r 203.0.113.11:80 -g -w 3");

    assertEquals(
        List.of(
            "-A -t 198.51.100.1:80 -s rr",
            "-a -t 198.51.100.1:80 -r 203.0.113.10:80 -g -w 1",
            "-a -t 198.51.100.1:80 -r 203.0.113.11:80 -g -w 3"),
        savedRules());
  }

  // Every scheduler linux-image-6.1.0-*-amd64 builds (CONFIG_IP_VS_*=m); it has no twos.
  @ParameterizedTest
  @ValueSource(
      strings = {"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh"})
  void everySchedulerOfTheKernelIsUsable(String scheduler) {
    restore("-A -t 198.51.100.1:80 -s " + scheduler);

    assertEquals(List.of("-A -t 198.51.100.1:80 -s " + scheduler), savedRules());
  }

  @Test
  void unknownSchedulerIsRefused() {
    ExecResult e = Commands.runWithInput("-C\n-A -t 198.51.100.1:80 -s no-such\n", ipvsadm("-R"));

    assertFalse(e.exitCode() == 0, "ipvsadm accepted scheduler no-such");
    // ipvsadm's text for the kernel's ENOENT on an unknown scheduler
    assertTrue(e.stderr().contains("Scheduler or persistence engine not found"), e.stderr());
  }

  // Tunnel types and checksum flags: IP_VS_CONN_F_TUNNEL_TYPE_{IPIP,GUE,GRE} and
  // IP_VS_TUNNEL_ENCAP_FLAG_{CSUM,NOCSUM,REMCSUM} of include/uapi/linux/ip_vs.h (kernel >= 5.3).
  @Test
  void tunnelDestinationsKeepTheirTypePortAndChecksumMode() {
    restore(
        "-A -t 198.51.100.1:80 -s wlc",
        "-a -t 198.51.100.1:80 -r 203.0.113.20:80 -i",
        "-a -t 198.51.100.1:80 -r 203.0.113.21:80 -i --tun-type gue --tun-port 6080 --tun-csum",
        "-a -t 198.51.100.1:80 -r 203.0.113.22:80 -i --tun-type gre --tun-nocsum",
        // a tunnel may cross address families: IPv4 service, IPv6 real server
        "-a -t 198.51.100.1:80 -r [2001:db8::22]:80 -i --tun-type gue --tun-port 6081 --tun-remcsum");

    assertEquals(
        List.of(
            "-A -t 198.51.100.1:80 -s wlc",
            "-a -t 198.51.100.1:80 -r 203.0.113.20:80 -i -w 1 --tun-type ipip",
            "-a -t 198.51.100.1:80 -r 203.0.113.21:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum",
            "-a -t 198.51.100.1:80 -r 203.0.113.22:80 -i -w 1 --tun-type gre --tun-nocsum",
            "-a -t 198.51.100.1:80 -r [2001:db8::22]:80 -i -w 1 --tun-type gue --tun-port 6081 --tun-remcsum"),
        savedRules());
  }

  @Test
  void theTestNamespaceHasItsOwnTable() {
    restore("-A -u 198.51.100.53:53 -s sh");

    String initNamespace = Commands.ok("ipvsadm", "-S", "-n").stdout();
    assertFalse(initNamespace.contains("198.51.100.53"), initNamespace);
    assertEquals(List.of("-A -u 198.51.100.53:53 -s sh"), savedRules());
  }
}
