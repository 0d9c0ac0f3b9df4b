package io.ha4j.netlink;

import io.ha4j.linux.Errno;
import io.ha4j.netlink.linux.LinuxNetlinkSocket;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs code inside another network namespace without moving the JVM: a short-lived thread enters
 * the namespace with {@code setns(CLONE_NEWNET)}, runs the action (typically: open a socket) and
 * ends. A socket stays in the namespace it was created in and may then be used from any thread, so
 * one process can manage several namespaces. Shared by the netlink sockets here, by ha-vip's
 * packet and notification sockets and by the raw VRRP sockets of ha-heartbeat.
 */
public final class NetworkNamespace {

  private NetworkNamespace() {}

  /**
   * The path of a namespace given as a name under {@code /run/netns} (as {@code ip netns add}
   * creates) or as an absolute path such as {@code /proc/PID/ns/net}.
   */
  public static String path(String netns) {
    Objects.requireNonNull(netns, "netns");
    if (netns.startsWith("/")) {
      return netns;
    }
    if (netns.isEmpty() || netns.contains("/") || netns.equals(".") || netns.equals("..")) {
      throw new IllegalArgumentException(
          "netns must be a name under /run/netns or an absolute path, was '" + netns + "'");
    }
    return "/run/netns/" + netns;
  }

  /**
   * Runs {@code action} on a thread inside the namespace at {@code path} and returns its result;
   * what it throws is rethrown here.
   *
   * @throws NetlinkException of kind IO with the errno when the namespace cannot be entered
   */
  public static <T> T call(String path, Supplier<T> action) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(action, "action");
    AtomicReference<@Nullable Object> result = new AtomicReference<>();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        LinuxNetlinkSocket.enterNetworkNamespace(path);
        result.set(action.get());
      } catch (RuntimeException | Error e) {
        failure.set(e);
      }
    }, "ha4j-netns");
    t.setDaemon(true);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetlinkException(NetlinkException.Kind.IO, Errno.EINTR.number(),
          "interrupted while working in network namespace " + path, null, e);
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException e) {
      throw e;
    }
    if (f instanceof Error e) {
      throw e;
    }
    @SuppressWarnings("unchecked")
    T r = (T) result.get();
    if (r == null) {
      throw new NetlinkException(NetlinkException.Kind.IO, 0,
          "no result from the namespace thread for " + path, null, null);
    }
    return r;
  }
}
