package io.ha4j.bench;

import io.ha4j.bench.linux.AdvertisementSniffer;
import io.ha4j.netlink.NetworkNamespace;
import io.ha4j.testkit.netns.NetnsRig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The fail-over benchmark's topology on a bridged {@link NetnsRig}: directors n1 and n2 in hosts
 * 1 and 2, each with a UDP responder, started as pairs by its {@link PairLauncher}, the client n3
 * in host 3 probing the VIP, and sniffers of n1's advertisements in n2's namespace. Every socket is this JVM's, opened in its namespace with
 * setns, so every timestamp is this process's {@link System#nanoTime()}.
 */
final class FailoverRig {

  static final String VIP = "198.51.100.100";
  static final int RESPONDER_PORT = 7007;
  static final int HEARTBEAT_PORT = 5405;
  static final long SETTLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(40);

  private final NetnsRig netns;
  private final PairLauncher pairs;
  private final VipProber prober;
  private final List<VipResponder> responders = new ArrayList<>();
  private final Map<Implementation, AdvertisementSniffer> sniffers = new EnumMap<>(Implementation.class);

  /** Starts the responders and the prober; the pairs are rendered and started as {@code options} say. */
  FailoverRig(NetnsRig netns, FailoverOptions options) {
    this.netns = netns;
    this.pairs = new PairLauncher(options, netns);
    for (int i = 1; i <= 2; i++) {
      responders.add(new VipResponder(openIn(netns.namespace(i), new InetSocketAddress(RESPONDER_PORT)), name(i)));
    }
    this.prober = new VipProber(openIn(netns.namespace(3), new InetSocketAddress(0)),
        new InetSocketAddress(VIP, RESPONDER_PORT));
  }

  private static DatagramSocket openIn(String namespace, InetSocketAddress bind) {
    return NetworkNamespace.call(NetworkNamespace.path(namespace), () -> {
      try {
        return new DatagramSocket(bind);
      } catch (SocketException e) {
        throw new UncheckedIOException("cannot bind " + bind + " in " + namespace, e);
      }
    });
  }

  /** n1's advertisements as they arrive in n2's namespace, one sniffer per implementation measured. */
  void openSniffers(List<Implementation> impls) throws IOException {
    InetAddress a = netns.address(1);
    if (!(a instanceof Inet4Address n1)) {
      throw new IllegalStateException("n1's address must be IPv4, was " + a);
    }
    for (Implementation impl : impls) {
      AdvertisementFilter filter = impl == Implementation.HA4J
          ? AdvertisementFilter.udp(n1, HEARTBEAT_PORT)
          : AdvertisementFilter.vrrp(n1);
      sniffers.put(impl, AdvertisementSniffer.open(netns.namespace(2), filter.protocol(), filter,
          impl.name().toLowerCase(Locale.ROOT) + "-n2"));
    }
  }

  static String name(int host) {
    return "n" + host;
  }

  NetnsRig netns() {
    return netns;
  }

  PairLauncher pairs() {
    return pairs;
  }

  VipProber prober() {
    return prober;
  }

  AdvertisementSniffer sniffer(Implementation impl) {
    return Objects.requireNonNull(sniffers.get(impl), "no sniffer for " + impl);
  }

  /** Until the client hears n1 steadily for 2 intervals + 200 ms and n2 holds no VIP; -1 on timeout. */
  long awaitSettled(DirectorPair pair, BigDecimal interval, int steadySeconds) {
    // At least --steady seconds of steady answers for both implementations: a production pair has
    // run for a while before its master dies, and a JVM killed within a second of its start
    // measures class loading, not the fail-over.
    long steady = Math.max(2 * nanos(interval) + TimeUnit.MILLISECONDS.toNanos(200),
        TimeUnit.SECONDS.toNanos(steadySeconds));
    long deadline = System.nanoTime() + SETTLE_TIMEOUT_NANOS;
    while (System.nanoTime() - deadline < 0) {
      if (!pair.alive()) {
        return -1;
      }
      if (prober.steadyFor(name(1)) >= steady && !netns.hasAddress(2, VIP)) {
        return System.nanoTime();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    return -1;
  }

  static long nanos(BigDecimal seconds) {
    return seconds.movePointRight(9).longValueExact();
  }

  /** Stops the prober, the responders and the sniffers. */
  void close() {
    prober.close();
    responders.forEach(VipResponder::close);
    sniffers.values().forEach(AdvertisementSniffer::close);
  }
}
