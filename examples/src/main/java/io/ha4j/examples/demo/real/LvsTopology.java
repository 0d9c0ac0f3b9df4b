package io.ha4j.examples.demo.real;

import io.ha4j.director.DirectorMain;
import io.ha4j.testkit.netns.ExecResult;
import io.ha4j.testkit.netns.NetnsRig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An LVS direct-routing cluster in network namespaces on one bridge (a {@link NetnsRig}): host 1
 * is the client, hosts 2.. are the directors, the hosts after them the real servers, all in
 * {@code 198.51.100.0/24} (TEST-NET-2). The directors run {@link DirectorMain} as separate JVMs
 * with IPVS, one heartbeat group (unicast to each other), the VIP {@value #VIP} on their interface
 * while master, and HTTP_GET checks of every real server.
 *
 * <p>Direct routing, because a fail-over then moves only the VIP: IPVS on the master forwards each
 * request to a real server's MAC unchanged, and the real server, which carries the VIP on its
 * loopback with {@code arp_ignore=1} and {@code arp_announce=2} (so it never answers or announces
 * ARP for it), answers the client directly. No gateway has to float with the master, as LVS-NAT
 * would need.
 *
 * <p>{@link #close()} kills every process started here and deletes the namespaces.
 */
public final class LvsTopology implements AutoCloseable {

  /** The virtual address the directors hold and the real servers accept on their loopback. */
  public static final String VIP = "198.51.100.100";

  /** The virtual service's and the real servers' HTTP port (direct routing keeps the port). */
  public static final int PORT = 80;

  /** The time stamp at the start of each line of a director's log. */
  public static final String LOG_TIME_FORMAT = "HH:mm:ss.SSS";

  private static final String SECRET = "ha4j real demo secret, 16+ bytes";

  private final NetnsRig rig;
  private final int directors;
  private final int realServers;
  private final Duration advert;
  private final Path dir;
  private final Map<Integer, Process> directorProcesses = new HashMap<>();
  private final Map<Integer, Process> httpServers = new HashMap<>();
  private final Map<Integer, Integer> priorities = new HashMap<>();

  private LvsTopology(NetnsRig rig, int directors, int realServers, Duration advert, Path dir) {
    this.rig = rig;
    this.directors = directors;
    this.realServers = realServers;
    this.advert = advert;
    this.dir = dir;
  }

  /**
   * Builds the namespaces and configures the real servers (VIP on loopback, ARP sysctls); starts
   * nothing yet.
   *
   * @param prefix 1..8 lowercase letters or digits naming the run (namespaces get a random suffix)
   * @param dir where the director configurations, web roots and logs go
   */
  public static LvsTopology build(String prefix, int directors, int realServers, Duration advert, Path dir) {
    if (directors < 1 || directors > 9) {
      throw new IllegalArgumentException("directors must be 1..9, was " + directors);
    }
    if (realServers < 1 || realServers > 9) {
      throw new IllegalArgumentException("realServers must be 1..9, was " + realServers);
    }
    NetnsRig rig = NetnsRig.bridge(prefix, 1 + directors + realServers);
    LvsTopology t = new LvsTopology(rig, directors, realServers, advert, dir);
    try {
      for (int r = 1; r <= realServers; r++) {
        // sysctls before the address, so the VIP is never announced; "all" wins over the
        // interface's own value for both (the kernel takes the maximum).
        t.exec(t.realServerHost(r), "sh", "-c",
            "echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore"
                + " && echo 2 > /proc/sys/net/ipv4/conf/all/arp_announce"
                + " && ip addr add " + VIP + "/32 dev lo").orThrow();
        Path root = dir.resolve("rs" + r);
        Files.createDirectories(root);
        Files.writeString(root.resolve("index.html"), realServerName(r) + "\n", StandardCharsets.UTF_8);
      }
      return t;
    } catch (IOException e) {
      t.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /** {@code rs<r>}: what real server {@code r}'s page says. */
  public static String realServerName(int r) {
    return "rs" + r;
  }

  public int directors() {
    return directors;
  }

  public int realServers() {
    return realServers;
  }

  public String clientNamespace() {
    return rig.namespace(1);
  }

  public String directorNamespace(int d) {
    return rig.namespace(directorHost(d));
  }

  public String realServerNamespace(int r) {
    return rig.namespace(realServerHost(r));
  }

  public String directorInterface(int d) {
    return rig.interfaceName(directorHost(d));
  }

  public String directorMac(int d) {
    return rig.mac(directorHost(d));
  }

  public InetAddress realServerAddress(int r) {
    return rig.address(realServerHost(r));
  }

  public InetAddress directorAddress(int d) {
    return rig.address(directorHost(d));
  }

  /** Starts {@code busybox httpd} in real server {@code r}'s namespace, serving its name on port 80. */
  public Process startRealServer(int r) {
    Process p = rig.start(realServerHost(r),
        List.of("busybox", "httpd", "-f", "-p", String.valueOf(PORT), "-h", dir.resolve("rs" + r).toString()),
        dir.resolve("rs" + r + ".log").toFile());
    httpServers.put(r, p);
    return p;
  }

  /** Stops real server {@code r}'s HTTP server (SIGKILL, by its PID) and waits for it to end. */
  public void stopRealServer(int r) throws InterruptedException {
    Process p = httpServers.remove(r);
    if (p != null) {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  /**
   * Writes director {@code d}'s configuration and starts it as a JVM of its own in its namespace,
   * with IPVS. All directors share the virtual router id, key and service; they differ in
   * priority, router id, heartbeat source and peers.
   */
  public Process startDirector(int d, int priority) {
    Path config = writeDirectorConfig(d, priority);
    List<String> cmd = new ArrayList<>(NetnsRig.javaCommand(DirectorMain.class.getName(), config.toString()));
    // Timestamps on every log line, whichever simplelogger.properties comes first on the class
    // path (a test class path may carry another): the demo's timeline reads them.
    cmd.addAll(1, List.of("-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=" + LOG_TIME_FORMAT));
    Process p = rig.start(directorHost(d), cmd, directorLog(d).toFile());
    directorProcesses.put(d, p);
    priorities.put(d, priority);
    return p;
  }

  /** The running JVM of director {@code d}, or null. */
  public @Nullable Process director(int d) {
    return directorProcesses.get(d);
  }

  /** {@code kill -9} of director {@code d}'s JVM by its PID; returns the PID. */
  public long killDirector(int d) throws InterruptedException {
    Process p = directorProcesses.remove(d);
    if (p == null) {
      throw new IllegalStateException("director " + d + " is not running");
    }
    long pid = p.pid();
    p.destroyForcibly();
    p.waitFor();
    return pid;
  }

  /**
   * Takes director {@code d}'s link down (or up again): with {@link #killDirector} this is the
   * machine dying. A JVM killed alone leaves its VIP and the IPVS table in its namespace's kernel,
   * which keep forwarding until a new master's gratuitous ARP draws the client away.
   */
  public void setDirectorLink(int d, boolean up) {
    exec(directorHost(d), "ip", "link", "set", directorInterface(d), up ? "up" : "down").orThrow();
  }

  /** Director {@code d}'s log (its standard output and error). */
  public Path directorLog(int d) {
    return dir.resolve("d" + d + ".log");
  }

  /** Whether director {@code d}'s interface carries the VIP now. */
  public boolean hasVip(int d) {
    return rig.hasAddress(directorHost(d), VIP);
  }

  /** The MAC the client's neighbour table holds for the VIP (lower case), or "" when none. */
  public String clientVipMac() {
    String out = exec(1, "ip", "neigh", "show", VIP).orThrow().stdout();
    List<String> words = List.of(out.trim().split("\\s+", -1));
    int at = words.indexOf("lladdr");
    return at >= 0 && at + 1 < words.size() ? words.get(at + 1).toLowerCase(Locale.ROOT) : "";
  }

  /** The director whose MAC the client's neighbour table holds for the VIP, or 0. */
  public int clientVipDirector() {
    String mac = clientVipMac();
    for (int d = 1; d <= directors; d++) {
      if (directorMac(d).equals(mac)) {
        return d;
      }
    }
    return 0;
  }

  /** Runs a command in director {@code d}'s namespace. */
  public ExecResult execInDirector(int d, String... command) {
    return exec(directorHost(d), command);
  }

  /**
   * What director {@code d}'s daemon reported so far, one line each as logged (time first): role
   * changes, VIPs acquired and released, IPVS table operations, real-server check results, quorum.
   */
  public List<String> directorEvents(int d) {
    Path log = directorLog(d);
    try {
      return Files.exists(log)
          ? Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .filter(l -> l.contains(" " + DirectorMain.class.getName() + " - ")).toList()
          : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last {@code lines} lines of each director's log, for a failure message. */
  public String logTails(int lines) {
    StringBuilder b = new StringBuilder();
    for (int d = 1; d <= directors; d++) {
      Path log = directorLog(d);
      b.append("\n--- d").append(d).append(" log (tail)\n");
      try {
        List<String> all = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        b.append(String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())));
      } catch (IOException e) {
        b.append(e);
      }
    }
    return b.toString();
  }

  private Path writeDirectorConfig(int d, int priority) {
    StringBuilder peers = new StringBuilder();
    for (int o = 1; o <= directors; o++) {
      if (o != d) {
        peers.append("    ").append(directorAddress(o).getHostAddress()).append('\n');
      }
    }
    StringBuilder servers = new StringBuilder();
    for (int r = 1; r <= realServers; r++) {
      // connect_timeout 2: an emulated VM can take a second to fork busybox and answer
      servers.append("""
            real_server %s %d {
              HTTP_GET {
                url {
                  path /
                  status_code 200
                }
                connect_timeout 2
              }
            }
          """.formatted(realServerAddress(r).getHostAddress(), PORT));
    }
    String text = """
        global_defs {
          router_id d%d
        }
        vrrp_instance VI_1 {
          state BACKUP
          interface %s
          virtual_router_id 51
          priority %d
          advert_int %s
          unicast_src_ip %s
          unicast_peer {
        %s  }
          ha4j_key 1 "%s"
          virtual_ipaddress {
            %s/24 dev %s
          }
        }
        virtual_server %s %d {
          delay_loop 1
          lb_algo rr
          lb_kind DR
          protocol TCP
        %s}
        """.formatted(d, directorInterface(d), priority, seconds(advert), directorAddress(d).getHostAddress(),
        peers, SECRET, VIP, directorInterface(d), VIP, PORT, servers);
    Path p = dir.resolve("d" + d + ".conf");
    try {
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
  }

  private ExecResult exec(int host, String... command) {
    return rig.exec(host, command);
  }

  private int directorHost(int d) {
    if (d < 1 || d > directors) {
      throw new IndexOutOfBoundsException("director must be 1.." + directors + ", was " + d);
    }
    return 1 + d;
  }

  private int realServerHost(int r) {
    if (r < 1 || r > realServers) {
      throw new IndexOutOfBoundsException("real server must be 1.." + realServers + ", was " + r);
    }
    return 1 + directors + r;
  }

  /** Kills the directors and HTTP servers (by PID) and deletes the namespaces. */
  @Override
  public void close() {
    rig.close();
    directorProcesses.clear();
    httpServers.clear();
  }

  /** The priority director {@code d} was last started with, or 0. */
  public int priority(int d) {
    return priorities.getOrDefault(d, 0);
  }

  /** All directors' indexes, 1-based. */
  public List<Integer> directorIndexes() {
    List<Integer> l = new ArrayList<>();
    for (int d = 1; d <= directors; d++) {
      l.add(d);
    }
    return l;
  }
}
