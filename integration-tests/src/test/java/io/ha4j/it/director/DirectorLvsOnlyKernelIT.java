package io.ha4j.it.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ha4j.director.DirectorMain;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.vm.IpvsNamespace;
import io.ha4j.testkit.vm.KernelTest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, LVS-only mode on a real ip_vs (inside the VM): a director whose file has virtual
 * servers and no vrrp_instance (keepalived.conf.fwmark's and ldirectord's shape), as its own JVM in
 * a namespace, programs the namespace's IPVS table from its checks alone. Of two real servers, the
 * one that answers (busybox httpd) is in the table as {@code ipvsadm -Sn} shows it; the one whose
 * port refuses is taken out; when the answering one stops, it is taken out too.
 */
@KernelTest
class DirectorLvsOnlyKernelIT {

  @Test
  void checksAloneDriveTheKernelsTable() throws Exception {
    Path dir = Files.createTempDirectory("lvs-only");
    Files.writeString(dir.resolve("index.html"), "up\n", StandardCharsets.UTF_8);
    Path conf = dir.resolve("lvs.conf");
    Files.writeString(conf, """
        virtual_server 203.0.113.10 80 {
          delay_loop 1
          lb_algo rr
          lb_kind NAT
          protocol TCP
          real_server 127.0.0.1 8080 {
            TCP_CHECK {
              connect_timeout 2
            }
          }
          real_server 127.0.0.1 8081 {
            TCP_CHECK {
              connect_timeout 2
            }
          }
        }
        """, StandardCharsets.UTF_8);
    List<Process> started = new ArrayList<>();
    try (IpvsNamespace ns = new IpvsNamespace("lvsonly")) {
      started.add(inNamespace(ns, List.of("busybox", "httpd", "-f", "-p", "127.0.0.1:8080", "-h", dir.toString()),
          dir.resolve("httpd.log").toFile()));
      started.add(inNamespace(ns, NetnsRig.javaCommand(DirectorMain.class.getName(), conf.toString()),
          dir.resolve("director.log").toFile()));
      List<String> expected = List.of("-A -t 203.0.113.10:80 -s rr", "-a -t 203.0.113.10:80 -r 127.0.0.1:8080 -m -w 1");
      awaitTable(ns, expected, dir);

      started.get(0).destroyForcibly().waitFor();
      awaitTable(ns, List.of("-A -t 203.0.113.10:80 -s rr"), dir);
      assertTrue(started.get(1).isAlive(), "the director must keep running\n" + log(dir));
      String log = log(dir);
      assertTrue(log.contains("LVS-only"), log);
      assertEquals(false, log.contains("VIP "), "LVS-only mode holds no VIP\n" + log);
    } finally {
      for (Process p : started) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  private static Process inNamespace(IpvsNamespace ns, List<String> command, File log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns.name()));
    cmd.addAll(command);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }

  /** Emulated, the director's JVM takes tens of seconds to start and check. */
  private static void awaitTable(IpvsNamespace ns, List<String> expected, Path dir) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    List<String> saved = List.of();
    while (System.nanoTime() - end < 0) {
      saved = ns.saved();
      if (saved.equals(expected)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("ipvsadm -Sn shows " + saved + ", not " + expected + "\n" + log(dir));
  }

  private static String log(Path dir) throws Exception {
    Path p = dir.resolve("director.log");
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }
}
