package io.ha4j.examples.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.ipvs.IpvsClient;
import io.ha4j.testkit.ipvs.FakeIpvsKernel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The CLI over the fake kernel, replaying the ipvsadm commands of the captured vectors. */
class IpvsCliTest {

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  IpvsCli cli(FakeIpvsKernel kernel, String stdin) {
    return new IpvsCli(ns -> new IpvsClient(kernel, () -> 0L, Duration.ofSeconds(1)),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String output() {
    String s = out.toString(StandardCharsets.UTF_8);
    out.reset();
    return s;
  }

  @Test
  void capturedSessionListsAsIpvsadmDid() {
    FakeIpvsKernel kernel = new FakeIpvsKernel();
    IpvsCli c = cli(kernel, "");
    assertEquals(0, c.run("-A", "-t", "198.51.100.10:80", "-s", "rr"));
    assertEquals(1, c.run("-A", "-t", "198.51.100.10:80", "-s", "rr"), "EEXIST");
    assertEquals(0, c.run("-a", "-t", "198.51.100.10:80", "-r", "203.0.113.1:8080", "-m", "-w", "5", "-x", "100", "-y", "10"));
    assertEquals(1, c.run("-E", "-t", "198.51.100.10:443", "-s", "wlc"), "ESRCH");
    assertEquals(0, c.run("-A", "-u", "[2001:db8::1]:53", "-s", "sh", "-b", "sh-port", "-p", "600"));
    assertEquals(0, c.run("-a", "-u", "[2001:db8::1]:53", "-r", "[2001:db8::2]:53", "-i", "-w", "2", "--tun-type", "gue",
        "--tun-port", "6080"));
    assertEquals(0, c.run("-A", "-f", "42", "-s", "mh"));
    assertEquals(0, c.run("list", "-n"));
    assertEquals(""
        + "IP Virtual Server version 1.2.1 (size=4096)\n"
        + "Prot LocalAddress:Port Scheduler Flags\n"
        + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
        + "TCP  198.51.100.10:80 rr\n"
        + "  -> 203.0.113.1:8080             Masq    5      0          0         \n"
        + "UDP  [2001:db8::1]:53 sh (sh-port) persistent 600\n"
        + "  -> [2001:db8::2]:53             Tunnel  2      0          0         \n"
        + "FWM  42 mh\n", output());
    assertEquals(1, c.run("-d", "-t", "198.51.100.10:80", "-r", "203.0.113.9:80"), "ENOENT");
    assertEquals(0, c.run("--set", "900", "120", "300"));
    assertEquals(0, c.run("-L", "--timeout"));
    assertEquals("Timeout (tcp tcpfin udp): 900 120 300\n", output());
    assertEquals(0, c.run("--start-daemon", "master", "--mcast-interface", "lo", "--syncid", "7"));
    assertEquals(0, c.run("-L", "--daemon"));
    assertEquals("master sync daemon (mcast=lo, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n", output());
    assertEquals(0, c.run("--stop-daemon", "master"));
    assertEquals(0, c.run("-D", "-t", "198.51.100.10:80"));
    assertEquals(0, c.run("-Ln", "--stats"));
    assertTrue(output().contains("Conns   InPkts  OutPkts  InBytes OutBytes"));
    assertEquals(0, c.run("-Z"));
    assertEquals(0, c.run("-C"));
    assertEquals(0, c.run("save"));
    assertEquals("", output());
    String errors = err.toString(StandardCharsets.UTF_8);
    assertTrue(errors.contains("errno 17") && errors.contains("errno 3") && errors.contains("errno 2"), errors);
    // ipvsadm's texts (libipvs ipvs_strerror) for the three failures of the captured session.
    assertTrue(errors.contains("Service already exists\n") && errors.contains("No such service\n")
        && errors.contains("No such destination\n"), errors);
  }

  @Test
  void saveThenRestoreRebuildsTheSameTable() {
    FakeIpvsKernel first = new FakeIpvsKernel();
    IpvsCli a = cli(first, "");
    a.run("-A", "-t", "198.51.100.10:80", "-s", "wlc", "-p", "120", "-M", "255.255.255.0");
    a.run("-a", "-t", "198.51.100.10:80", "-r", "203.0.113.1", "-w", "3");
    a.run("-a", "-t", "198.51.100.10:80", "-r", "203.0.113.2:81", "-m", "-x", "50", "-y", "5");
    a.run("-A", "-f", "9", "-6", "-s", "mh", "-b", "mh-fallback,mh-port");
    a.run("-a", "-f", "9", "-6", "-r", "2001:db8::5", "-i", "--tun-type", "gre", "--tun-csum");
    a.run("--sctp-service", "198.51.100.20:3868", "-A", "-s", "rr", "-o");
    assertEquals(0, a.run("save"));
    String saved = output();
    assertEquals(6, saved.lines().count(), saved);

    FakeIpvsKernel second = new FakeIpvsKernel();
    IpvsCli b = cli(second, "# restored\n" + saved);
    assertEquals(0, b.run("restore"), err.toString(StandardCharsets.UTF_8));
    assertEquals(0, b.run("save"));
    assertEquals(saved, output());
  }

  @Test
  void restoreReportsTheFailingLines() {
    FakeIpvsKernel kernel = new FakeIpvsKernel();
    IpvsCli c = cli(kernel, "-A -t 198.51.100.1:80 -s rr\n-A -t 198.51.100.1:80 -s rr\n-a -t 198.51.100.2:80 -r 203.0.113.1\n");
    assertEquals(1, c.run("-R"));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains("line 2") && e.contains("line 3") && !e.contains("line 1:"), e);
  }

  @Test
  void badUsageIsExitTwo() {
    IpvsCli c = cli(new FakeIpvsKernel(), "");
    assertEquals(2, c.run("-A", "-t", "www.example.org:80"));
    assertEquals(2, c.run("-A", "-s", "rr"));
    assertEquals(2, c.run("--frobnicate"));
  }
}
