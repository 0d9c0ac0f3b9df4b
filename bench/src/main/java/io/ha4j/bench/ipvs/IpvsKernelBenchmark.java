package io.ha4j.bench.ipvs;

import io.ha4j.api.ForwardingMethod;
import io.ha4j.api.Protocol;
import io.ha4j.api.RealServer;
import io.ha4j.api.ServiceKey;
import io.ha4j.api.TunnelType;
import io.ha4j.api.VirtualService;
import io.ha4j.api.table.TableEntry;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.IpvsClient;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * ha4j's IPVS client against ipvsadm 1.31 on the same real kernel, each in a network namespace of
 * its own (bench/ipvs-vs-ipvsadm.sh runs it inside the ip_vs VM): program S services x D real
 * servers from an empty table, apply a 10% change set, dump the whole table. Ours is timed inside
 * this JVM (its start-up is reported apart); ipvsadm's as the process it is ({@code ipvsadm -R}
 * from a file of the equivalent command lines, {@code ipvsadm -Sn}), fork and exec included,
 * because that is what using it costs. After each round both tables must save identically.
 *
 * <p>Usage: {@code IpvsKernelBenchmark OUR_NETNS IPVSADM_NETNS [services] [servers] [rounds]}.
 */
public final class IpvsKernelBenchmark {

  private IpvsKernelBenchmark() {}

  record Figures(double program, double change, double dump) {}

  public static void main(String[] args) throws Exception {
    long startupMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    String ours = args[0];
    String theirs = args[1];
    int services = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int servers = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 2;

    List<TableOp> full = full(services, servers);
    List<TableOp> change = change(services, servers);
    Path fullRules = Files.createTempFile("ipvs-bench-full", ".rules");
    Path changeRules = Files.createTempFile("ipvs-bench-change", ".rules");
    Files.writeString(fullRules, rules(full));
    Files.writeString(changeRules, rules(change));
    System.out.printf("JVM start-up to main: %d ms (not in the figures below)%n", startupMillis);
    System.out.printf("table: %d services x %d real servers = %d ops; change set: %d ops%n",
        services, servers, full.size(), change.size());

    try (IpvsClient client = IpvsClient.open(ours)) {
      for (int round = 1; round <= rounds; round++) {
        client.flush();
        ipvsadm(theirs, null, "-C");
        int entries = 0;
        long t0 = System.nanoTime();
        client.apply(full).orThrow();
        long t1 = System.nanoTime();
        client.apply(change).orThrow();
        long t2 = System.nanoTime();
        for (TableEntry e : client.read()) {
          entries += 1 + e.realServers().size();
        }
        long t3 = System.nanoTime();
        Figures our = new Figures((t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);

        long u0 = System.nanoTime();
        ipvsadm(theirs, fullRules, "-R");
        long u1 = System.nanoTime();
        ipvsadm(theirs, changeRules, "-R");
        long u2 = System.nanoTime();
        String saved = ipvsadm(theirs, null, "-Sn");
        long u3 = System.nanoTime();
        Figures their = new Figures((u1 - u0) / 1e6, (u2 - u1) / 1e6, (u3 - u2) / 1e6);

        if (!saved.equals(ipvsadm(ours, null, "-Sn"))) {
          throw new IllegalStateException("round " + round + ": the two tables differ");
        }
        System.out.printf("round %d (%s), %d entries dumped:%n", round, round == 1 ? "cold JVM" : "warm JVM", entries);
        line("program from empty", our.program(), their.program(), 0.5);
        line("10% change set", our.change(), their.change(), 0.5);
        line("program + change", our.program() + our.change(), their.program() + their.change(), 0.5);
        line("full dump", our.dump(), their.dump(), 1.0);
      }
      client.flush();
      ipvsadm(theirs, null, "-C");
    } finally {
      Files.deleteIfExists(fullRules);
      Files.deleteIfExists(changeRules);
    }
  }

  private static void line(String what, double ours, double theirs, double target) {
    double ratio = ours / theirs;
    System.out.printf("  %-20s ours %9.1f ms   ipvsadm %9.1f ms   ours/ipvsadm %5.2f (target <= %.1f: %s)%n",
        what, ours, theirs, ratio, target, ratio <= target ? "met" : "NOT met");
  }

  private static InetAddress ip(String s) throws UnknownHostException {
    return InetAddress.getByName(s);
  }

  private static ServiceKey key(int i) throws UnknownHostException {
    return ServiceKey.of(Protocol.TCP, ip("198.51.100." + (i % 250 + 1)), 1024 + i / 250);
  }

  private static RealServer server(int r, int weight) throws UnknownHostException {
    return new RealServer(ip("203.0.113." + (r + 1)), 80, weight, ForwardingMethod.NAT, 0, 0,
        TunnelType.IPIP, 0, 0);
  }

  static List<TableOp> full(int services, int servers) throws UnknownHostException {
    List<TableOp> ops = new ArrayList<>();
    for (int i = 0; i < services; i++) {
      ServiceKey key = key(i);
      ops.add(new TableOp.AddService(VirtualService.of(key, "wlc")));
      for (int r = 0; r < servers; r++) {
        ops.add(new TableOp.AddRealServer(key, server(r, 1)));
      }
    }
    return ops;
  }

  /** Every tenth service: all its real servers re-weighted and one more added (10% of the ops). */
  static List<TableOp> change(int services, int servers) throws UnknownHostException {
    List<TableOp> ops = new ArrayList<>();
    for (int i = 0; i < services; i += 10) {
      ServiceKey key = key(i);
      for (int r = 0; r < servers; r++) {
        ops.add(new TableOp.UpdateRealServer(key, server(r, 2)));
      }
      ops.add(new TableOp.AddRealServer(key, server(servers, 1)));
    }
    return ops;
  }

  /** The ipvsadm command lines of the ops (the subset these tables use). */
  static String rules(List<TableOp> ops) {
    StringBuilder out = new StringBuilder();
    for (TableOp op : ops) {
      ServiceKey.Inet key = (ServiceKey.Inet) op.serviceKey();
      String svc = "-t " + key.address().getHostAddress() + ":" + key.port();
      if (op instanceof TableOp.AddService a) {
        out.append("-A ").append(svc).append(" -s ").append(a.service().scheduler());
      } else {
        boolean add = op instanceof TableOp.AddRealServer;
        RealServer r = add ? ((TableOp.AddRealServer) op).realServer() : ((TableOp.UpdateRealServer) op).realServer();
        out.append(add ? "-a " : "-e ").append(svc).append(" -r ").append(r.address().getHostAddress()).append(':')
            .append(r.port()).append(" -m -w ").append(r.weight());
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Runs ipvsadm in {@code netns}, standard input from {@code input} if given; returns its output. */
  private static String ipvsadm(String netns, @Nullable Path input, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns, "ipvsadm"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.redirectInput(input != null ? ProcessBuilder.Redirect.from(input.toFile())
        : ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException(command + " exited with " + p.exitValue());
    }
    return out;
  }
}
