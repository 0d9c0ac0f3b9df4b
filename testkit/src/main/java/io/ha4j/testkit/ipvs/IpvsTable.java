package io.ha4j.testkit.ipvs;

import static io.ha4j.testkit.ipvs.IpvsUapi.AF_INET;
import static io.ha4j.testkit.ipvs.IpvsUapi.AF_INET6;
import static io.ha4j.testkit.ipvs.IpvsUapi.F_HASHED;
import static io.ha4j.testkit.ipvs.IpvsUapi.TUN_GUE;

import io.ha4j.linux.Errno;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The fake kernel's IPVS state: services with their destinations, sync daemons and timeouts, and
 * the rules of net/netfilter/ipvs/ip_vs_ctl.c for changing them, each broken rule a {@link KernelError}.
 */
final class IpvsTable {

  private final Set<String> schedulers;
  private final LinkedHashMap<String, KernelService> services = new LinkedHashMap<>();
  private final Map<Integer, KernelDaemon> daemons = new LinkedHashMap<>();
  private Timeouts timeouts = new Timeouts(900, 120, 300);

  /** The connection timeouts in seconds (ip_vs_timeout_user). */
  record Timeouts(int tcp, int tcpFin, int udp) {}

  IpvsTable(Set<String> schedulers) {
    this.schedulers = Set.copyOf(schedulers);
  }

  Collection<KernelService> services() {
    return services.values();
  }

  Collection<KernelDaemon> daemons() {
    return daemons.values();
  }

  Timeouts timeouts() {
    return timeouts;
  }

  List<String> serviceKeys() {
    return List.copyOf(services.keySet());
  }

  void setServiceStats(String serviceKey, long... stats) {
    KernelService s = services.get(serviceKey);
    if (s == null) {
      throw new IllegalArgumentException("no service " + serviceKey + " in " + services.keySet());
    }
    s.stats = Arrays.copyOf(stats, 10);
  }

  /** The service with {@code key}'s lookup fields, or null. */
  @Nullable KernelService find(KernelService key) {
    return services.get(key.key());
  }

  /** The service with {@code key}'s lookup fields; ESRCH if there is none. */
  KernelService existing(KernelService key) throws KernelError {
    KernelService found = services.get(key.key());
    if (found == null) {
      throw new KernelError(Errno.ESRCH, null);
    }
    return found;
  }

  // ---- services ------------------------------------------------------------------------------

  void newService(KernelService u) throws KernelError {
    if (services.containsKey(u.key())) {
      throw new KernelError(Errno.EEXIST, null);
    }
    checkNames(u);
    u.flags = (u.flags & u.flagsMask) | F_HASHED;
    services.put(u.key(), u);
  }

  void editService(KernelService u) throws KernelError {
    KernelService svc = existing(u);
    checkNames(u);
    svc.flags = ((svc.flags & ~u.flagsMask) | (u.flags & u.flagsMask)) | F_HASHED;
    svc.scheduler = u.scheduler;
    svc.pe = u.pe;
    svc.timeout = u.timeout;
    svc.netmask = u.netmask;
  }

  void deleteService(KernelService key) throws KernelError {
    services.remove(existing(key).key());
  }

  private void checkNames(KernelService u) throws KernelError {
    if (!u.scheduler.equals("none") && !schedulers.contains(u.scheduler)) {
      throw new KernelError(Errno.ENOENT, null); // "Scheduler module ip_vs_%s not found"
    }
    if (!u.pe.isEmpty() && !u.pe.equals("sip")) {
      throw new KernelError(Errno.ENOENT, null);
    }
    if (u.af == AF_INET6 && (u.netmask < 1 || u.netmask > 128)) {
      throw new KernelError(Errno.EINVAL, null);
    }
  }

  void flush() {
    services.clear();
  }

  void zero(KernelService s) {
    Arrays.fill(s.stats, 0);
    s.dests.values().forEach(d -> Arrays.fill(d.stats, 0));
  }

  void zeroAll() {
    services.values().forEach(this::zero);
  }

  // ---- destinations --------------------------------------------------------------------------

  void newDest(KernelService svc, KernelDest u) throws KernelError {
    checkDest(svc, u);
    if (svc.dests.containsKey(u.key())) {
      throw new KernelError(Errno.EEXIST, null);
    }
    // list_add_rcu puts a new destination at the head of svc->destinations.
    LinkedHashMap<String, KernelDest> reordered = new LinkedHashMap<>();
    reordered.put(u.key(), u);
    reordered.putAll(svc.dests);
    svc.dests.clear();
    svc.dests.putAll(reordered);
  }

  void editDest(KernelService svc, KernelDest u) throws KernelError {
    checkDest(svc, u);
    KernelDest existing = svc.dests.get(u.key());
    if (existing == null) {
      throw new KernelError(Errno.ENOENT, null);
    }
    u.active = existing.active;
    u.inactive = existing.inactive;
    u.persistent = existing.persistent;
    u.stats = existing.stats;
    svc.dests.put(u.key(), u);
  }

  void deleteDest(KernelService svc, KernelDest key) throws KernelError {
    if (svc.dests.remove(key.key()) == null) {
      throw new KernelError(Errno.ENOENT, null);
    }
  }

  /** ip_vs_add_dest / ip_vs_edit_dest check these before looking the destination up. */
  private void checkDest(KernelService svc, KernelDest u) throws KernelError {
    if (u.af != svc.af && (u.fwd != 2 || !daemons.isEmpty())) {
      // mixed families only through a tunnel, and not while a sync daemon runs (observed on 6.1)
      throw new KernelError(Errno.EINVAL, null);
    }
    if (u.weight < 0) {
      throw new KernelError(Errno.ERANGE, null);
    }
    if (Integer.compareUnsigned(u.lower, u.upper) > 0) {
      throw new KernelError(Errno.ERANGE, null);
    }
    if (u.tunType == TUN_GUE && u.tunPort == 0) {
      throw new KernelError(Errno.EINVAL, null);
    }
  }

  // ---- sync daemons and timeouts -------------------------------------------------------------

  /** Starts the daemon of {@code state}, read from its request by {@code daemon} once the table allows it. */
  void newDaemon(int state, Supplier<KernelDaemon> daemon) throws KernelError {
    if (daemons.containsKey(state)) {
      throw new KernelError(Errno.EEXIST, null);
    }
    // ip_vs_genl_new_daemon: the sync protocol cannot carry a real server of the other family
    // (observed on 6.1 ip_vs in the VM)
    for (KernelService svc : services.values()) {
      for (KernelDest dest : svc.dests.values()) {
        if (dest.af != svc.af) {
          throw new KernelError(Errno.EINVAL, null);
        }
      }
    }
    daemons.put(state, daemon.get());
  }

  void deleteDaemon(int state) throws KernelError {
    if (daemons.remove(state) == null) {
      throw new KernelError(Errno.ESRCH, null);
    }
  }

  /** ip_vs_set_timeout: 0 keeps the current value. */
  void setTimeouts(int tcp, int fin, int udp) {
    timeouts = new Timeouts(tcp != 0 ? tcp : timeouts.tcp(), fin != 0 ? fin : timeouts.tcpFin(),
        udp != 0 ? udp : timeouts.udp());
  }

  // ---- keys ----------------------------------------------------------------------------------

  static String serviceKey(int af, int fwmark, int protocol, byte[] addr, int port) {
    if (fwmark != 0) {
      return "fwm/" + af + "/" + Integer.toUnsignedString(fwmark);
    }
    return protocol + "/" + address(af, addr) + "/" + port;
  }

  static String destKey(int af, byte[] addr, int port) {
    return address(af, addr) + "/" + port;
  }

  private static String address(int af, byte[] addr) {
    try {
      return InetAddress.getByAddress(Arrays.copyOf(addr, af == AF_INET ? 4 : 16)).getHostAddress();
    } catch (UnknownHostException e) {
      return HexFormat.of().formatHex(addr);
    }
  }
}
