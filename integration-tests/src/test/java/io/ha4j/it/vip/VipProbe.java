package io.ha4j.it.vip;

import io.ha4j.core.time.SystemScheduler;
import io.ha4j.api.VirtualAddress;
import io.ha4j.api.address.AddressException;
import io.ha4j.vip.VipOwner;
import io.ha4j.vip.linux.LinuxAddressKernel;
import io.ha4j.vip.linux.LinuxVip;
import java.net.InetAddress;

/**
 * A small main that {@link LeastPrivilegeIT} runs in a child JVM as an unprivileged user inside a
 * namespace. {@code cause} prints the availability; {@code cycle IFACE ADDRESS PREFIX} adds,
 * announces and removes a VIP in the current namespace, printing what the kernel lists; {@code exit
 * IFACE ADDRESS PREFIX} adds one and exits, leaving it to the shutdown hook.
 */
public final class VipProbe {

  private VipProbe() {}

  public static void main(String[] args) throws Exception {
    Throwable cause = LinuxVip.unavailabilityCause();
    System.out.println("CAUSE " + (cause == null ? "none" : cause.getMessage()));
    if (args[0].equals("cause")) {
      return;
    }
    VirtualAddress vip = VirtualAddress.of(InetAddress.getByName(args[2]), Integer.parseInt(args[3]), args[1]);
    if (args[0].equals("exit")) {
      // Added, then the JVM exits without close(): the shutdown hook must take the VIP away.
      SystemScheduler scheduler = new SystemScheduler("probe");
      VipOwner owner = VipOwner.builder(LinuxAddressKernel.open(), scheduler).manage(vip).releaseOnShutdown(true).build();
      owner.add(vip);
      System.out.println("ADDED " + owner.list());
      System.exit(0);
    }
    try (SystemScheduler scheduler = new SystemScheduler("probe");
        VipOwner owner = VipOwner.builder(LinuxAddressKernel.open(), scheduler).manage(vip).build()) {
      owner.add(vip);
      System.out.println("ADDED " + owner.list());
      owner.announce(vip);
      System.out.println("ANNOUNCED frames=" + owner.framesSent());
      owner.remove(vip);
      System.out.println("REMOVED " + owner.list());
    } catch (AddressException e) {
      System.out.println("FAILED " + e.reason() + " " + e.getMessage());
      System.exit(2);
    }
  }
}
