package io.ha4j.vip.linux.internal;

import com.sun.jna.LastErrorException;
import io.ha4j.api.address.AddressException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Opens sockets inside another network namespace without moving the JVM: a short-lived thread
 * enters the namespace with {@code setns(CLONE_NEWNET)}, opens the socket and ends. A socket stays
 * in the namespace it was created in and may then be used from any thread.
 */
public final class NetworkNamespace {

  private NetworkNamespace() {}

  /** The path of a namespace given as a name under /run/netns or as an absolute path. */
  public static String path(String netns) {
    if (netns.startsWith("/")) {
      return netns;
    }
    if (netns.isEmpty() || netns.contains("/") || netns.equals(".") || netns.equals("..")) {
      throw new IllegalArgumentException("netns must be a name under /run/netns or an absolute path, was '" + netns + "'");
    }
    return "/run/netns/" + netns;
  }

  /** Runs {@code open} (which returns a file descriptor) on a thread inside namespace {@code path}. */
  public static int open(String path, IntSupplier open) {
    AtomicReference<@Nullable Object> result = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        Libc c = Libc.INSTANCE;
        int nsfd = c.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        try {
          c.setns(nsfd, Libc.CLONE_NEWNET);
        } finally {
          c.close(nsfd);
        }
        result.set(open.getAsInt());
      } catch (LastErrorException e) {
        result.set(Errors.of("entering network namespace " + path, e));
      } catch (RuntimeException | Error e) {
        result.set(e);
      }
    }, "ha4j-vip-netns");
    t.setDaemon(true);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AddressException(AddressException.Reason.OTHER, Libc.EINTR, "interrupted entering " + path, e);
    }
    Object r = result.get();
    if (r instanceof Integer fd) {
      return fd;
    }
    if (r instanceof RuntimeException e) {
      throw e;
    }
    if (r instanceof Error e) {
      throw e;
    }
    throw new AddressException(AddressException.Reason.OTHER, 0, "no socket from the namespace thread for " + path);
  }
}
