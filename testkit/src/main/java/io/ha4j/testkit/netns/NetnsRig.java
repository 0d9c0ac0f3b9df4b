package io.ha4j.testkit.netns;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N hosts in their own network namespaces on one Ethernet bridge, like machines on a LAN.
 *
 * <p>Host {@code i} (1-based) lives in namespace {@link #namespace(int)} with interface {@link
 * #interfaceName(int)} ({@code veth<i>}), MAC {@code 02:00:00:00:00:<i>}, {@code 198.51.100.<i>/24}
 * and {@code 2001:db8::<i>/64} (no duplicate address detection, so it is usable at once). The
 * bridge lives in a namespace of its own, so the host's root namespace is never touched. Names carry
 * a random suffix so that rigs of parallel test runs never collide.
 *
 * <p>{@link #close()} ends every process started through the rig and deletes the namespaces, which
 * takes their veth links with them. A JVM shutdown hook does the same if the test JVM exits first.
 */
public final class NetnsRig implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NetnsRig.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long COMMAND_TIMEOUT_SECONDS = 20;

  private final String bridgeNamespace;
  private final List<String> hostNamespaces = new ArrayList<>();
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook;
  private volatile boolean closed;

  private NetnsRig(String prefix, int hosts) {
    if (hosts < 1 || hosts > 200) {
      throw new IllegalArgumentException("hosts must be 1..200, was " + hosts);
    }
    if (!prefix.matches("[a-z][a-z0-9]{0,7}")) {
      throw new IllegalArgumentException("prefix must be 1..8 lowercase letters or digits, was '" + prefix + "'");
    }
    String id = prefix + String.format(Locale.ROOT, "%04x", RANDOM.nextInt(0x10000));
    this.bridgeNamespace = id + "-br";
    for (int i = 1; i <= hosts; i++) {
      hostNamespaces.add(id + "-n" + i);
    }
    this.shutdownHook = new Thread(this::teardown, "netns-rig-cleanup-" + id);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Builds {@code hosts} namespaces on a bridge.
   *
   * @param prefix 1..8 lowercase letters or digits naming the test, e.g. {@code vip}
   */
  public static NetnsRig bridge(String prefix, int hosts) {
    NetnsRig rig = new NetnsRig(prefix, hosts);
    try {
      rig.build();
      return rig;
    } catch (RuntimeException e) {
      rig.close();
      throw e;
    }
  }

  private void build() {
    ip("netns", "add", bridgeNamespace);
    ip("-n", bridgeNamespace, "link", "set", "lo", "up");
    ip("-n", bridgeNamespace, "link", "add", "br0", "type", "bridge");
    // Snooping would hold back multicast until a querier exists; heartbeats must flow at once.
    ip("-n", bridgeNamespace, "link", "set", "br0", "type", "bridge", "mcast_snooping", "0");
    ip("-n", bridgeNamespace, "link", "set", "br0", "up");
    for (int i = 1; i <= hostNamespaces.size(); i++) {
      String ns = namespace(i);
      ip("netns", "add", ns);
      ip("link", "add", interfaceName(i), "netns", ns, "type", "veth", "peer", "name", "p" + i,
          "netns", bridgeNamespace);
      ip("-n", bridgeNamespace, "link", "set", "p" + i, "master", "br0");
      ip("-n", bridgeNamespace, "link", "set", "p" + i, "up");
      ip("-n", ns, "link", "set", "lo", "up");
      ip("-n", ns, "link", "set", interfaceName(i), "address", mac(i));
      ip("-n", ns, "addr", "add", address(i).getHostAddress() + "/24", "dev", interfaceName(i));
      ip("-n", ns, "addr", "add", address6(i).getHostAddress() + "/64", "dev", interfaceName(i), "nodad");
      ip("-n", ns, "link", "set", interfaceName(i), "up");
    }
    LOG.info("netns rig up: {} hosts on bridge namespace {}", hostNamespaces.size(), bridgeNamespace);
  }

  /** Number of hosts. */
  public int size() {
    return hostNamespaces.size();
  }

  /** The namespace name of host {@code i} (1-based), for {@code ip netns exec} or setns. */
  public String namespace(int i) {
    return hostNamespaces.get(checkHost(i) - 1);
  }

  /** The namespace that holds the bridge. */
  public String bridgeNamespace() {
    return bridgeNamespace;
  }

  /** The interface of host {@code i} inside its namespace. */
  public String interfaceName(int i) {
    return "veth" + checkHost(i);
  }

  /** The MAC address of host {@code i}. */
  public String mac(int i) {
    return String.format(Locale.ROOT, "02:00:00:00:00:%02x", checkHost(i));
  }

  /** {@code 198.51.100.<i>}. */
  public InetAddress address(int i) {
    return parse("198.51.100." + checkHost(i));
  }

  /** {@code 2001:db8::<i>} (hexadecimal). */
  public InetAddress address6(int i) {
    return parse("2001:db8::" + Integer.toHexString(checkHost(i)));
  }

  /** Runs {@code command} in host {@code i}'s namespace and waits for it. */
  public ExecResult exec(int i, String... command) {
    return Commands.run(COMMAND_TIMEOUT_SECONDS, "", netnsExec(namespace(i), Arrays.asList(command)));
  }

  /**
   * Starts {@code command} in host {@code i}'s namespace in the background. Its output goes to
   * {@code log} (appended). The rig kills it, with its descendants, on {@link #close()}.
   */
  public Process start(int i, List<String> command, File log) {
    ProcessBuilder pb = new ProcessBuilder(netnsExec(namespace(i), command))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    try {
      Process p = pb.start();
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command + " in " + namespace(i), e);
    }
  }

  /**
   * Starts a Java main class of this test's class path as a separate JVM in host {@code i}'s
   * namespace (a member process that can be killed by its PID), like {@link #start}. The JVM is
   * this one's, with flags for many small JVMs on few cores: serial GC, C1 only, a 64 MiB heap.
   */
  public Process startJava(int i, String mainClass, List<String> args, File log) {
    return start(i, javaCommand(mainClass, args.toArray(String[]::new)), log);
  }

  /**
   * The command line that runs {@code mainClass} of this test's class path in a JVM of its own,
   * for {@link #start} or {@link #exec}: serial GC, C1 only and a 64 MiB heap, because several
   * such JVMs share few cores in a test and timer jitter is what they measure.
   */
  public static List<String> javaCommand(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", testClassPath(), mainClass));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** Whether the address {@code literal} (e.g. {@code 198.51.100.100}) is on host {@code i}'s interface now. */
  public boolean hasAddress(int i, String literal) {
    return hasAddress(i, parse(literal));
  }

  /** Whether {@code address} is configured on host {@code i}'s interface now. */
  public boolean hasAddress(int i, InetAddress address) {
    String out = exec(i, "ip", "-o", "addr", "show", "dev", interfaceName(i), "to", address.getHostAddress())
        .orThrow().stdout();
    return !out.isBlank();
  }

  /** Failsafe may put a manifest-only jar on java.class.path; its own property has the real path. */
  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  /** Runs an {@code ip} command in the root namespace, failing on a non-zero exit. */
  private static void ip(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("ip");
    cmd.addAll(Arrays.asList(args));
    Commands.run(COMMAND_TIMEOUT_SECONDS, "", cmd).orThrow();
  }

  private static List<String> netnsExec(String ns, List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(command);
    return cmd;
  }

  /** Kills the processes started here and deletes the namespaces (and so their links). */
  @Override
  public void close() {
    teardown();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running or ran
    }
  }

  private synchronized void teardown() {
    if (closed) {
      return;
    }
    closed = true;
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<String> all = new ArrayList<>(hostNamespaces);
    all.add(bridgeNamespace);
    for (String ns : all) {
      ExecResult r = Commands.run(COMMAND_TIMEOUT_SECONDS, "", List.of("ip", "netns", "del", ns));
      if (!r.ok() && !r.stderr().contains("No such file")) {
        LOG.warn("could not delete namespace {}: {}", ns, r.stderr().strip());
      }
    }
  }

  private int checkHost(int i) {
    if (i < 1 || i > hostNamespaces.size()) {
      throw new IndexOutOfBoundsException("host must be 1.." + hostNamespaces.size() + ", was " + i);
    }
    return i;
  }

  private static InetAddress parse(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
