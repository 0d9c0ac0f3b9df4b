package io.ha4j.bench;

import io.ha4j.testkit.netns.NetnsRig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The two directors of one run, n1 and n2, as started by {@link PairLauncher}. */
final class DirectorPair {
  final Implementation impl;
  final List<Process> processes = new ArrayList<>();
  final List<Path> logs = new ArrayList<>();
  final List<Path> vrrpPidFiles = new ArrayList<>();
  private final NetnsRig netns;

  DirectorPair(Implementation impl, NetnsRig netns) {
    this.impl = impl;
    this.netns = netns;
  }

  boolean alive() {
    return processes.stream().allMatch(Process::isAlive);
  }

  /**
   * kill -9 of host {@code i}'s node (keepalived's VRRP child and parent at once), ready to run:
   * the pid file is read and the child found now, so the kill itself is two signals.
   */
  Runnable crasher(int i) throws IOException {
    Process p = processes.get(i - 1);
    if (impl == Implementation.KEEPALIVED) {
      long child = Long.parseLong(Files.readString(vrrpPidFiles.get(i - 1)).strip());
      ProcessHandle h = p.descendants().filter(d -> d.pid() == child).findFirst()
          .orElseThrow(() -> new IllegalStateException("VRRP child " + child + " is not keepalived's"));
      return () -> {
        h.destroyForcibly();
        p.destroyForcibly();
      };
    }
    return p::destroyForcibly;
  }

  /**
   * Host {@code i}'s death, ready to run: its link set down inside its namespace (the node runs on
   * but is gone for the others). {@link #destroy()} sets it up again.
   */
  Runnable linkDown(int i) {
    return () -> netns.exec(i, "ip", "link", "set", netns.interfaceName(i), "down").orThrow();
  }

  /** Kills both nodes, sets their links up (after a host death), removes the VIPs and flushes the client's ARP cache. */
  void destroy() throws InterruptedException {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
    for (int i = 1; i <= 2; i++) {
      netns.exec(i, "ip", "link", "set", netns.interfaceName(i), "up").orThrow();
      netns.exec(i, "ip", "addr", "del", FailoverRig.VIP + "/24", "dev", netns.interfaceName(i)); // absent: fine
    }
    netns.exec(3, "ip", "neigh", "flush", "all").orThrow();
  }
}
