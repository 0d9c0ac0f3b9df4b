package io.ha4j.it.heartbeat;

import io.ha4j.core.time.SystemScheduler;
import io.ha4j.heartbeat.DropReason;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.HeartbeatKey;
import io.ha4j.heartbeat.udp.UdpTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * One heartbeat member as its own process, for the network-namespace tests. Prints {@code READY}
 * once started and {@code ROLE <role> <nanoTime> <reason>} on every role change; the nano time
 * is the system's monotonic clock, which all processes of one machine share.
 *
 * <pre>
 * args: nodeId priority intervalMs interface unicast   bindAddress port peer...
 *       nodeId priority intervalMs interface multicast group       port
 * </pre>
 *
 * <p>{@code -Dha4j.it.clockOffsetMs=-3600000} makes the incarnation come from a wall clock that
 * far off (a VM snapshot restored, a start before NTP sync). Every second it prints {@code STATS
 * accepted=.. unproven=.. badProof=.. replayed=.. challenges=.. responses=.. proven=..}.
 */
public final class HeartbeatNodeMain {

  static final HeartbeatKey KEY = new HeartbeatKey(1, "netns-test-key-0123456".getBytes(StandardCharsets.US_ASCII));

  private HeartbeatNodeMain() {}

  public static void main(String[] args) throws Exception {
    String node = args[0];
    int priority = Integer.parseInt(args[1]);
    Duration interval = Duration.ofMillis(Long.parseLong(args[2]));
    NetworkInterface nif = Objects.requireNonNull(NetworkInterface.getByName(args[3]), args[3]);
    String mode = args[4];
    InetAddress address = InetAddress.getByName(args[5]);
    int port = Integer.parseInt(args[6]);

    SystemScheduler scheduler = new SystemScheduler("hb-" + node);
    HeartbeatConfig.Builder b = HeartbeatConfig.builder().clusterId(0x4e4e5301).groupId(42).nodeId(node)
        .priority(priority).advertisementInterval(interval).key(KEY);
    long offsetMs = Long.getLong("ha4j.it.clockOffsetMs", 0L);
    if (offsetMs != 0) {
      SecureRandom random = new SecureRandom();
      b.incarnations(() -> ((System.currentTimeMillis() + offsetMs) << 20) | (random.nextInt() & 0xfffff));
    }
    UdpTransport transport;
    if (mode.equals("unicast")) {
      transport = UdpTransport.unicast(new InetSocketAddress(address, port), scheduler);
      for (int i = 7; i < args.length; i++) {
        b.destination(new InetSocketAddress(InetAddress.getByName(args[i]), port));
      }
    } else {
      InetSocketAddress group = new InetSocketAddress(address, port);
      transport = UdpTransport.multicast(group, nif, scheduler);
      b.destination(group);
    }
    VrrpElection election = new VrrpElection(b.build(), transport, scheduler);
    election.addListener(change -> {
      System.out.println("ROLE " + change.to() + " " + change.atNanos() + " " + change.reason());
      System.out.flush();
    });
    election.start();
    scheduler.scheduleAtFixedRate(Duration.ofSeconds(1), Duration.ofSeconds(1), () -> {
      var st = election.stats();
      var p = election.proofStats();
      System.out.println("STATS accepted=" + st.accepted() + " unproven=" + st.dropped(DropReason.UNPROVEN)
          + " badProof=" + st.dropped(DropReason.BAD_PROOF) + " replayed=" + st.dropped(DropReason.REPLAYED)
          + " challenges=" + p.challengesSent() + " responses=" + p.responsesSent() + " proven=" + p.proven());
      System.out.flush();
    });
    System.out.println("READY " + node + " " + transport.localAddress());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
