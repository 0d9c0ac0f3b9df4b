package io.ha4j.bench;

import io.ha4j.director.DirectorMain;
import io.ha4j.testkit.netns.NetnsRig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Starts the director pairs of a benchmark in hosts 1 and 2: ha4j's director JVMs or keepalived,
 * both from one keepalived.conf template rendered per node (the director reads the subset;
 * ha4j-only keywords only in the ha4j rendering), each pair's files numbered in the work directory.
 */
final class PairLauncher {

  /** n2's priority; n1 has 150. */
  static final int BACKUP_PRIORITY = 100;

  private final FailoverOptions options;
  private final NetnsRig netns;
  private int pairCounter;

  PairLauncher(FailoverOptions options, NetnsRig netns) {
    this.options = options;
    this.netns = netns;
  }

  DirectorPair start(Implementation impl, BigDecimal interval) throws IOException {
    DirectorPair pair = new DirectorPair(impl, netns);
    int id = ++pairCounter;
    for (int i = 1; i <= 2; i++) {
      int peer = 3 - i;
      String tag = String.format(Locale.ROOT, "%03d-%s-%s", id, impl.name().toLowerCase(Locale.ROOT),
          FailoverRig.name(i));
      Path conf = options.work().resolve(tag + ".conf");
      Files.writeString(conf, render(impl, i, peer, interval));
      Path log = options.work().resolve(tag + ".log");
      pair.logs.add(log);
      if (impl == Implementation.HA4J) {
        List<String> args = options.warmUp() ? List.of("--no-ipvs", conf.toString())
            : List.of("--no-ipvs", "--no-warm-up", conf.toString());
        pair.processes.add(netns.start(i, NetnsRig.javaCommand(DirectorMain.class.getName(), args.toArray(String[]::new)),
            log.toFile()));
      } else {
        Path pid = options.work().resolve(tag + ".pid");
        Path vrrp = options.work().resolve(tag + "-vrrp.pid");
        pair.vrrpPidFiles.add(vrrp);
        pair.processes.add(netns.start(i, List.of("keepalived", "-n", "-l", "-D", "-G", "-P", "-f", conf.toString(),
            "-p", pid.toString(), "-r", vrrp.toString(),
            "-c", options.work().resolve(tag + "-chk.pid").toString(),
            "-b", options.work().resolve(tag + "-bfd.pid").toString()), log.toFile()));
      }
    }
    return pair;
  }

  /** The template for host {@code i}: placeholders filled, the {@code @HA4J@} line kept for ha4j only. */
  String render(Implementation impl, int i, int peer, BigDecimal interval) throws IOException {
    String ha4j = impl == Implementation.HA4J
        ? "ha4j_key 1 \"failover bench secret, 16+ bytes\"\n  ha4j_advert_copies " + options.copies()
        : "";
    return Files.readString(options.template())
        .replace("@HA4J@", ha4j)
        .replace("@NAME@", FailoverRig.name(i))
        .replace("@IFACE@", netns.interfaceName(i))
        .replace("@PRIORITY@", i == 1 ? "150" : "100")
        .replace("@ADVERT_INT@", interval.toPlainString())
        .replace("@SRC@", netns.address(i).getHostAddress())
        .replace("@PEER@", netns.address(peer).getHostAddress())
        .replace("@VIP@", FailoverRig.VIP);
  }
}
