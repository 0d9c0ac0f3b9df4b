package io.ha4j.it.heartbeat.vrrp;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.Role;
import io.ha4j.core.time.SystemScheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.heartbeat.HeartbeatConfig;
import io.ha4j.heartbeat.VrrpElection;
import io.ha4j.heartbeat.vrrp.VrrpCodec;
import io.ha4j.heartbeat.vrrp.VrrpWireFormat;
import io.ha4j.heartbeat.vrrp.linux.VrrpTransport;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.linux.LinuxAddressKernel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * One ha4j VRRPv3 member as its own process (started inside a namespace with {@code ip netns
 * exec}): the real election with the raw-socket VRRP transport and the real {@link VipOwner}, which
 * adds, announces and removes the VIP in the namespace. Prints {@code READY}, then {@code ROLE
 * <role> <nanoTime> <reason>} on every role change. SIGTERM stops the election (priority 0).
 *
 * <pre>
 * args: vrid priority intervalMs interface primaryAddress vip/prefix multicast
 *       vrid priority intervalMs interface primaryAddress vip/prefix unicast peer...
 *       vrid priority intervalMs interface primaryAddress vip/prefix unicast-old-checksum peer...
 * </pre>
 */
public final class VrrpNodeMain {

  private VrrpNodeMain() {}

  public static void main(String[] args) throws Exception {
    int vrid = Integer.parseInt(args[0]);
    int priority = Integer.parseInt(args[1]);
    Duration interval = Duration.ofMillis(Long.parseLong(args[2]));
    String iface = args[3];
    InetAddress primary = InetAddress.getByName(args[4]);
    String[] vipText = args[5].split("/");
    VirtualAddress vip = VirtualAddress.of(InetAddress.getByName(vipText[0]), Integer.parseInt(vipText[1]), iface);
    boolean multicast = args[6].equals("multicast");
    boolean oldChecksum = args[6].equals("unicast-old-checksum");

    SystemScheduler scheduler = new SystemScheduler("vrrp-" + primary.getHostAddress());
    HeartbeatConfig.Builder b = HeartbeatConfig.builder().groupId(vrid).nodeId(VrrpWireFormat.nodeId(primary))
        .priority(priority).advertisementInterval(interval)
        .key(1, new byte[16]) // required by the config, unused by VRRP (no authentication)
        .virtualAddress(vip);
    if (multicast) {
      InetAddress group = AddressFamily.of(primary) == AddressFamily.INET ? VrrpCodec.group4() : VrrpCodec.group6();
      b.destination(new InetSocketAddress(group, 0));
    } else {
      for (int i = 7; i < args.length; i++) {
        b.destination(new InetSocketAddress(InetAddress.getByName(args[i]), 0));
      }
    }
    HeartbeatConfig config = b.build();
    VipOwner owner = VipOwner.builder(LinuxAddressKernel.open(), scheduler).manage(vip).build();
    owner.releaseStale(); // a VIP left behind by a kill -9 of an earlier run
    VrrpTransport transport = VrrpTransport.open(iface, AddressFamily.of(primary), multicast, scheduler);
    VrrpElection election =
        new VrrpElection(config, VrrpWireFormat.of(config, primary, oldChecksum), transport, scheduler);
    election.addListener(change -> {
      if (change.to() == Role.MASTER) {
        owner.add(vip);
        owner.announce(vip);
      } else if (change.from() == Role.MASTER) {
        owner.remove(vip);
      }
      System.out.println("ROLE " + change.to() + " " + change.atNanos() + " " + change.reason());
      System.out.flush();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      election.stop();
      owner.remove(vip);
      transport.close();
    }));
    election.start();
    System.out.println("READY " + primary.getHostAddress());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
