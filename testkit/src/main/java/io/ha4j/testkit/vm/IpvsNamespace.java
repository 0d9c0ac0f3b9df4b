package io.ha4j.testkit.vm;

import io.ha4j.ipvs.IpvsClient;
import io.ha4j.testkit.netns.Commands;
import io.ha4j.testkit.netns.ExecResult;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace of a kernel test's own, with its own IPVS table: ipvsadm runs in it through
 * nsenter (cheaper than {@code ip netns exec} under emulation) and {@link #client()} opens our
 * client's netlink socket in it. {@link #close()} deletes the namespace, and with it the table.
 */
public final class IpvsNamespace implements AutoCloseable {

  private final String name;

  /** Creates the namespace {@code ha4j-AREA-RANDOM} with its loopback up. */
  public IpvsNamespace(String area) {
    name = "ha4j-" + area + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    Commands.ok("ip", "netns", "add", name);
    // With lo down a fresh namespace has no local routing table, inet_addr_type() then calls
    // every real server address broadcast, and ip_vs_ctl.c refuses DR/TUN destinations (EINVAL).
    Commands.ok("ip", "-n", name, "link", "set", "lo", "up");
  }

  /** The namespace's name. */
  public String name() {
    return name;
  }

  /** Our IPVS client, its netlink socket opened in this namespace. */
  public IpvsClient client() {
    return IpvsClient.open(name);
  }

  /** ipvsadm in this namespace. */
  public ExecResult ipvsadm(String... args) {
    return Commands.run(argv("ipvsadm", args));
  }

  /** A shell script in this namespace; fails the test if it does not exit 0. */
  public ExecResult sh(String script) {
    return Commands.ok(argv("sh", "-c", script));
  }

  /** {@code ipvsadm -Sn}, one element per line. */
  public List<String> saved() {
    return ipvsadm("-S", "-n").orThrow().stdout().lines().toList();
  }

  /** ipvsadm's text output of these arguments. */
  public String text(String... args) {
    return ipvsadm(args).orThrow().stdout();
  }

  /** Replaces the table with these ipvsadm command lines in one {@code ipvsadm -R}. */
  public void restore(String... rules) {
    restore(String.join("\n", rules) + "\n");
  }

  /** Replaces the table with {@code rules}, ipvsadm command lines, in one {@code ipvsadm -R}. */
  public void restore(String rules) {
    Commands.runWithInput("-C\n" + rules, argv("ipvsadm", "-R")).orThrow();
  }

  private String[] argv(String command, String... args) {
    String[] argv = new String[args.length + 3];
    argv[0] = "nsenter";
    argv[1] = "--net=/run/netns/" + name;
    argv[2] = command;
    System.arraycopy(args, 0, argv, 3, args.length);
    return argv;
  }

  @Override
  public void close() {
    Commands.run("ip", "netns", "del", name);
  }
}
