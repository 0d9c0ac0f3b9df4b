package io.ha4j.testkit.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ha4j.api.AddressFamily;
import io.ha4j.api.Clock;
import io.ha4j.core.time.SystemScheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressEvent;
import io.ha4j.api.address.AddressException;
import io.ha4j.netlink.MessageBuilder;
import io.ha4j.netlink.Netlink;
import io.ha4j.netlink.NetlinkConnection;
import io.ha4j.netlink.NetlinkException;
import io.ha4j.netlink.NetlinkMessage;
import io.ha4j.testkit.netns.NetnsRig;
import io.ha4j.testkit.netns.NetnsTest;
import io.ha4j.vip.AddressKernel;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.codec.AddressMessage;
import io.ha4j.vip.codec.LinkMessage;
import io.ha4j.vip.codec.MacAddress;
import io.ha4j.vip.codec.Rtnetlink;
import io.ha4j.vip.linux.LinuxAddressKernel;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fake is trusted because it answers like Linux: the same operations run against {@link
 * FakeAddressKernel} and against a real kernel in a namespace, and every outcome (success, reason
 * and errno, listed VIPs, raw reply errno and flags) must be the same.
 */
@NetnsTest
class FakeAddressKernelDifferentialIT {

  private static final int NODAD_OR_NOPREFIXROUTE = AddressMessage.IFA_F_NODAD | AddressMessage.IFA_F_NOPREFIXROUTE;

  private static String outcome(Runnable op) {
    try {
      op.run();
      return "ok";
    } catch (AddressException e) {
      return e.reason() + "/" + e.errno();
    }
  }

  /** The transcript of one run of the scenario against {@code kernel}, whose interface is veth1. */
  private static List<String> scenario(AddressKernel kernel, SystemScheduler scheduler) throws Exception {
    VirtualAddress v4 = new VirtualAddress(InetAddress.getByName("198.51.100.100"), 24, "veth1", "veth1:ha");
    VirtualAddress v4b = VirtualAddress.of(InetAddress.getByName("198.51.100.101"), 32, "veth1");
    VirtualAddress v6 = VirtualAddress.of(InetAddress.getByName("2001:db8::100"), 64, "veth1");
    VirtualAddress nowhere = VirtualAddress.of(InetAddress.getByName("198.51.100.102"), 24, "nosuchdev");
    List<String> t = new ArrayList<>();
    try (VipOwner owner = VipOwner.builder(kernel, scheduler).manage(v4, v4b, v6, nowhere).noPrefixRoute(true).build()) {
      t.add("add v4 " + outcome(() -> owner.add(v4)));
      t.add("add v4 again " + outcome(() -> owner.add(v4)));
      t.add("add v4b " + outcome(() -> owner.add(v4b)));
      t.add("add v6 " + outcome(() -> owner.add(v6)));
      t.add("list " + owner.list());
      t.add("remove v4 " + outcome(() -> owner.remove(v4)));
      t.add("remove v4 again " + outcome(() -> owner.remove(v4)));
      t.add("add nowhere " + outcome(() -> owner.add(nowhere)));
      t.add("remove nowhere " + outcome(() -> owner.remove(nowhere)));
      t.add("list " + owner.list());
      rawRequests(kernel, t);
    }
    return t;
  }

  private static void rawRequests(AddressKernel kernel, List<String> t) throws Exception {
    // Raw requests through the netlink core, compared on errno and on what the dump says of our flags.
    NetlinkConnection raw = new NetlinkConnection(kernel.routeSocket(), Clock.system(), Duration.ofSeconds(5));
    int index = LinkMessage.from(raw.request(LinkMessage.byName("veth1").toMessage(Rtnetlink.RTM_GETLINK, 0)).get(0))
        .index();
    Function<MessageBuilder, String> errno = m -> {
      try {
        raw.request(m);
        return "0";
      } catch (NetlinkException e) {
        return e.kind() + "/" + e.errno();
      }
    };
    InetAddress a = InetAddress.getByName("198.51.100.103");
    t.add("raw add " + errno.apply(AddressMessage.of(a, 24, index, 0, null)
        .toMessage(Rtnetlink.RTM_NEWADDR, Netlink.F_EXCL | Netlink.F_CREATE)));
    t.add("raw add excl " + errno.apply(AddressMessage.of(a, 24, index, 0, null)
        .toMessage(Rtnetlink.RTM_NEWADDR, Netlink.F_EXCL | Netlink.F_CREATE)));
    t.add("raw add on index 999 " + errno.apply(AddressMessage.of(a, 24, 999, 0, null)
        .toMessage(Rtnetlink.RTM_NEWADDR, Netlink.F_EXCL | Netlink.F_CREATE)));
    t.add("raw del " + errno.apply(AddressMessage.of(a, 24, index, 0, null).toMessage(Rtnetlink.RTM_DELADDR, 0)));
    t.add("raw del again " + errno.apply(AddressMessage.of(a, 24, index, 0, null).toMessage(Rtnetlink.RTM_DELADDR, 0)));
    t.add("raw getlink nosuchdev " + errno.apply(LinkMessage.byName("nosuchdev").toMessage(Rtnetlink.RTM_GETLINK, 0)));
    for (AddressFamily f : AddressFamily.values()) {
      for (NetlinkMessage m : raw.dump(AddressMessage.dump(f, 0).toMessage(Rtnetlink.RTM_GETADDR, 0))) {
        AddressMessage am = AddressMessage.from(m);
        String text = String.valueOf(am.ownAddress());
        if (text.contains("198.51.100.10") || text.contains("2001:db8:0:0:0:0:0:100")) {
          t.add("dump " + text + "/" + am.prefixLength() + " label " + am.label() + " flags 0x"
              + Integer.toHexString(am.flags() & (NODAD_OR_NOPREFIXROUTE | AddressMessage.IFA_F_PERMANENT)));
        }
      }
    }
  }

  /**
   * issue 16: veth1 deleted and re-created under an owner that holds a VIP on it: the events the
   * owner reports (from the kernel's notifications) and the add on the new interface.
   */
  private static List<String> recreation(AddressKernel kernel, SystemScheduler scheduler, Runnable delete,
      Runnable recreate) throws Exception {
    VirtualAddress v4 = VirtualAddress.of(InetAddress.getByName("198.51.100.100"), 24, "veth1");
    List<String> t = new ArrayList<>();
    List<AddressEvent> events = new CopyOnWriteArrayList<>();
    try (VipOwner owner = VipOwner.builder(kernel, scheduler).manage(v4).restoreRemoved(false).build()) {
      owner.watch(events::add);
      t.add("add v4 " + outcome(() -> owner.add(v4)));
      delete.run();
      Thread.sleep(300); // the notifications come on their own thread, and their events on the scheduler
      t.add("after delete " + events);
      t.add("list " + owner.list());
      events.clear();
      recreate.run();
      Thread.sleep(300);
      t.add("after re-creation " + events);
      t.add("add v4 on the new veth1 " + outcome(() -> owner.add(v4)));
      t.add("list " + owner.list());
    }
    return t;
  }

  private static void ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new AssertionError(cmd + " failed");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void fakeAndLinuxReportADeletedAndRecreatedInterfaceAlike() throws Exception {
    List<String> real;
    List<String> fake;
    try (SystemScheduler scheduler = new SystemScheduler("vip-diff")) {
      try (NetnsRig rig = NetnsRig.bridge("vipdr", 1)) {
        String ns = rig.namespace(1);
        String br = rig.bridgeNamespace();
        real = recreation(LinuxAddressKernel.open(ns), scheduler, () -> ip("-n", ns, "link", "del", "veth1"), () -> {
          ip("link", "add", "veth1", "netns", ns, "type", "veth", "peer", "name", "p1", "netns", br);
          ip("-n", br, "link", "set", "p1", "master", "br0");
          ip("-n", br, "link", "set", "p1", "up");
          ip("-n", ns, "link", "set", "veth1", "up");
        });
      }
      FakeAddressKernel kernel = new FakeAddressKernel();
      kernel.addInterface("veth1", MacAddress.parse("02:00:00:00:00:01"));
      fake = recreation(kernel, scheduler, () -> kernel.deleteInterface("veth1"),
          () -> kernel.addInterface("veth1", MacAddress.parse("02:00:00:00:00:09")));
    }
    System.out.println("re-creation transcript (Linux):\n  " + String.join("\n  ", real));
    assertEquals(String.join("\n", real), String.join("\n", fake));
  }

  @Test
  void fakeAndLinuxGiveTheSameTranscript() throws Exception {
    List<String> real;
    List<String> fake;
    try (SystemScheduler scheduler = new SystemScheduler("vip-diff")) {
      try (NetnsRig rig = NetnsRig.bridge("vipdf", 1)) {
        real = scenario(LinuxAddressKernel.open(rig.namespace(1)), scheduler);
      }
      FakeAddressKernel kernel = new FakeAddressKernel();
      kernel.addInterface("veth1", MacAddress.parse("02:00:00:00:00:01"));
      fake = scenario(kernel, scheduler);
    }
    System.out.println("transcript (Linux):\n  " + String.join("\n  ", real));
    assertEquals(String.join("\n", real), String.join("\n", fake));
  }
}
