package io.ha4j.it.director;

import io.ha4j.director.DirectorMain;
import io.ha4j.testkit.netns.NetnsRig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Directors as separate JVMs in the hosts of a bridged namespace rig ({@code --no-ipvs}: this
 * kernel has no ip_vs), unicast to each other, with their configurations and logs in the test's
 * temporary directory; what the director ITs share. Closing it ends the processes and removes the
 * rig.
 */
final class DirectorHosts implements AutoCloseable {

  static final String VIP = "198.51.100.100";
  static final Duration ADVERT = Duration.ofMillis(100);

  final NetnsRig rig;
  private final Path dir;

  private DirectorHosts(NetnsRig rig, Path dir) {
    this.rig = rig;
    this.dir = dir;
  }

  /**
   * {@code hosts} namespaces on a bridge; {@code prefix} names the test (1..8 lowercase letters or
   * digits); files go to {@code dir} (the test's {@code @TempDir}).
   */
  static DirectorHosts bridge(String prefix, int hosts, Path dir) {
    return new DirectorHosts(NetnsRig.bridge(prefix, hosts), dir);
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  /** Host {@code host}'s log. */
  Path log(int host) {
    return dir.resolve("d" + host + ".log");
  }

  /**
   * Writes host {@code self}'s configuration: unicast to {@code peer}, the VIP on its interface,
   * keepalived's sample notification block (ignored with a warning), then {@code more} (virtual
   * servers, say).
   */
  Path config(int self, int peer, String routerId, int priority, String more) throws IOException {
    return config(self, peer, routerId, priority, rig.interfaceName(self), more);
  }

  /** As {@link #config(int, int, String, int, String)}, with the VIP on interface {@code vipDevice}. */
  Path config(int self, int peer, String routerId, int priority, String vipDevice, String more) throws IOException {
    return config(self, peer, routerId, priority, vipDevice, ADVERT, more);
  }

  /** As {@link #config(int, int, String, int, String, String)}, advertising every {@code advert}. */
  Path config(int self, int peer, String routerId, int priority, String vipDevice, Duration advert, String more)
      throws IOException {
    String unicast = """
          unicast_src_ip %s
          unicast_peer {
            %s
          }
          ha4j_key 1 "netns test secret of 16+ bytes"
        """.formatted(rig.address(self).getHostAddress(), rig.address(peer).getHostAddress());
    return write(self, routerId, priority, VIP + "/24", vipDevice, advert, unicast, more);
  }

  /**
   * Host {@code self}'s configuration as keepalived's samples write it: no unicast_peer (the
   * heartbeat goes to the multicast group), no source address, {@code auth_pass 1111}.
   */
  Path multicastConfig(int self, String routerId, int priority) throws IOException {
    return multicastConfig(self, routerId, priority, VIP + "/24");
  }

  /** As {@link #multicastConfig(int, String, int)}, with the virtual address {@code vip} (A/LEN): IPv6 makes an IPv6 instance. */
  Path multicastConfig(int self, String routerId, int priority, String vip) throws IOException {
    String multicast = """
          authentication {
            auth_type PASS
            auth_pass 1111
          }
        """;
    return write(self, routerId, priority, vip, rig.interfaceName(self), ADVERT, multicast, "");
  }

  private Path write(int self, String routerId, int priority, String vip, String vipDevice, Duration advert,
      String transport, String more) throws IOException {
    String text = """
        global_defs {
          router_id %s
          notification_email {
            ops@example.org
          }
        }
        vrrp_instance VI_1 {
          state BACKUP
          interface %s
          virtual_router_id 51
          priority %d
          advert_int %s
        %s
          virtual_ipaddress {
            %s dev %s
          }
        }
        """.formatted(routerId, rig.interfaceName(self), priority, advert.toMillis() / 1000.0, transport.stripTrailing(),
        vip, vipDevice) + more;
    Path p = dir.resolve("d" + self + ".conf");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  /** Starts {@link DirectorMain} with {@code config} in host {@code host}, as a JVM of the rig's kind. */
  Process start(int host, Path config) {
    return rig.start(host, NetnsRig.javaCommand(DirectorMain.class.getName(), "--no-ipvs", config.toString()),
        log(host).toFile());
  }

  /**
   * Starts the director in host {@code host} through its launcher, ha-director/bin/director, on
   * this test's class path (DIRECTOR_CLASSPATH) and the rig's JVM flags. The launcher execs the JVM,
   * so the process is the daemon's: a signal to its PID reaches the JVM.
   */
  Process startWithLauncher(int host, Path config) {
    List<String> java = NetnsRig.javaCommand(DirectorMain.class.getName());
    return startLauncher(host, config, String.join(" ", java.subList(1, java.indexOf("-cp"))));
  }

  /**
   * As {@link #startWithLauncher}, but with the launcher's own JVM options (its bounded heap and
   * collector), what an operator runs; only the election's INFO lines are switched back on (this
   * class path's simplelogger.properties keeps them quiet for the simulations).
   */
  Process startWithLaunchersOptions(int host, Path config) {
    return startWithLaunchersOptions(host, config, "");
  }

  /** As {@link #startWithLaunchersOptions(int, Path)}, with more JVM options (log levels, say). */
  Process startWithLaunchersOptions(int host, Path config, String moreOptions) {
    return startLauncher(host, config, ("-Dorg.slf4j.simpleLogger.log.io.ha4j.heartbeat=info " + moreOptions).strip());
  }

  private Process startLauncher(int host, Path config, String javaOptions) {
    List<String> java = NetnsRig.javaCommand(DirectorMain.class.getName());
    List<String> cmd = new ArrayList<>(List.of("env",
        "DIRECTOR_CLASSPATH=" + java.get(java.indexOf("-cp") + 1),
        "DIRECTOR_JAVA_OPTS=" + javaOptions,
        "PATH=" + Path.of(java.get(0)).getParent() + ":" + System.getenv("PATH"),
        "sh", launcher().toString(), "--no-ipvs", config.toString()));
    return rig.start(host, cmd, log(host).toFile());
  }

  /** ha-director/bin/director, found from the working directory (a module's directory under the build). */
  private static Path launcher() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("ha-director/bin/director");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("ha-director/bin/director not found above " + Path.of("").toAbsolutePath());
  }

  boolean hasVip(int host) {
    return rig.hasAddress(host, VIP);
  }

  /** Waits up to {@code limit} for {@code condition}; the failure shows every host's log. */
  void await(String what, Duration limit, BooleanSupplier condition) throws IOException, InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() - end < 0) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(what + ": not within " + limit + "\n" + logs());
  }

  /** Every host's log, each under its name. */
  String logs() throws IOException {
    StringBuilder all = new StringBuilder();
    for (int i = 1; i <= rig.size(); i++) {
      all.append("--- ").append(log(i).getFileName()).append('\n').append(read(log(i)));
    }
    return all.toString();
  }

  boolean contains(Path log, String text) {
    try {
      return read(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Sends {@code signal} (e.g. {@code HUP}) to {@code p} by its PID, as an operator's kill does. */
  static void kill(String signal, Process p) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
    if (!k.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new AssertionError("kill -" + signal + " " + p.pid() + " failed");
    }
  }

  @Override
  public void close() {
    rig.close();
  }
}
