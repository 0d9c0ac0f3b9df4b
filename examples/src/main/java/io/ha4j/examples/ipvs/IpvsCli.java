package io.ha4j.examples.ipvs;

import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.ipvsadm.Ipvsadm;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The {@code ipvs} command (examples/bin/ipvs): an ipvsadm work-alike, {@link Ipvsadm} on this
 * process's standard streams, with {@code --netns NAME} to work on another network namespace.
 */
public final class IpvsCli {

  private final Ipvsadm ipvsadm;

  /**
   * @param opener opens a client for a namespace name (null: this process's namespace)
   */
  public IpvsCli(Ipvsadm.Opener opener, InputStream in, PrintStream out, PrintStream err) {
    this.ipvsadm = new Ipvsadm(opener, in, out, err);
  }

  public static void main(String[] args) {
    IpvsCli cli = new IpvsCli(ns -> ns == null ? IpvsClient.open() : IpvsClient.open(ns), System.in, System.out, System.err);
    System.exit(cli.run(args));
  }

  /** Runs one command line; returns the exit status (0 ok, 1 kernel refused, 2 bad usage). */
  public int run(String... args) {
    return ipvsadm.run(args);
  }
}
