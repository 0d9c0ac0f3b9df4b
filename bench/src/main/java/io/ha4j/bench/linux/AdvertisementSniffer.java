package io.ha4j.bench.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.ha4j.linux.Errno;
import io.ha4j.linux.LinuxNative;
import io.ha4j.linux.internal.Libc;
import io.ha4j.netlink.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Times the master's advertisements as they arrive at the backup: a raw IPv4 socket of one IP
 * protocol, opened inside the backup's network namespace, gets a copy of every packet of that
 * protocol arriving there (raw(7); for UDP the real socket still gets its datagram). A daemon
 * thread receives them, keeps those the filter accepts and notes {@link System#nanoTime()} right
 * after {@code recv} returns, the clock the benchmark times everything with. The last {@value
 * #KEPT} arrivals are kept. The socket wakes its thread every 250 ms ({@code SO_RCVTIMEO}) so that
 * {@link #close()} is noticed.
 */
public final class AdvertisementSniffer implements AutoCloseable {

  static final int KEPT = 4096;
  private static final int BUFFER = 2048;

  private final int fd;
  private final String name;
  private final Predicate<ByteBuffer> filter;
  private final long[] arrivals = new long[KEPT];
  private long count; // arrivals ever recorded; the newest is at (count - 1) % KEPT
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  private AdvertisementSniffer(int fd, String name, Predicate<ByteBuffer> filter) {
    this.fd = fd;
    this.name = name;
    this.filter = filter;
    this.thread = new Thread(this::receiveLoop, "sniffer-" + name);
    thread.setDaemon(true);
  }

  /**
   * A sniffer of IP protocol {@code protocol} in network namespace {@code namespace} (a name under
   * /run/netns or an absolute path) that keeps the packets {@code filter} accepts, given the whole
   * IPv4 packet; {@code name} names its thread and its errors.
   *
   * @throws IOException when the socket cannot be opened (it needs CAP_NET_RAW)
   */
  public static AdvertisementSniffer open(String namespace, int protocol, Predicate<ByteBuffer> filter, String name)
      throws IOException {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(name, "name");
    Throwable unavailable = LinuxNative.unavailabilityCause();
    if (unavailable != null) {
      throw new IOException("sniffer " + name + ": " + unavailable.getMessage(), unavailable);
    }
    int fd;
    try {
      fd = NetworkNamespace.call(NetworkNamespace.path(namespace), () -> openHere(protocol, name));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    AdvertisementSniffer s = new AdvertisementSniffer(fd, name, filter);
    s.thread.start();
    return s;
  }

  private static int openHere(int protocol, String name) {
    int fd;
    try {
      fd = Libc.INSTANCE.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
    } catch (LastErrorException e) {
      throw new UncheckedIOException(new IOException("sniffer " + name + ": cannot open a raw IPv4 socket for IP "
          + "protocol " + protocol + " (needs CAP_NET_RAW): " + errno(e), e));
    }
    try {
      Libc.Timeval timeout = new Libc.Timeval(250_000);
      Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, timeout.size());
    } catch (LastErrorException e) {
      Libc.INSTANCE.close(fd);
      throw new UncheckedIOException(new IOException("sniffer " + name + ": SO_RCVTIMEO failed: " + errno(e), e));
    }
    return fd;
  }

  private void receiveLoop() {
    // Native, not a Java array, which JNA would copy in and out around every receive.
    Memory rx = new Memory(BUFFER);
    byte[] buf = new byte[BUFFER];
    while (!closed.get()) {
      long n;
      try {
        n = Libc.INSTANCE.recv(fd, rx, BUFFER, 0);
      } catch (LastErrorException e) {
        int errno = e.getErrorCode();
        if (closed.get() || Errno.EAGAIN.is(errno) || Errno.EINTR.is(errno)) {
          continue; // the receive timeout: look at the closed flag again
        }
        System.err.println("sniffer " + name + ": receive failed: " + errno(e));
        continue;
      }
      long at = System.nanoTime();
      rx.read(0, buf, 0, (int) n);
      if (filter.test(ByteBuffer.wrap(buf, 0, (int) n))) {
        record(at);
      }
    }
  }

  private synchronized void record(long at) {
    arrivals[(int) (count % KEPT)] = at;
    count++;
    notifyAll();
  }

  /** Arrivals kept since the sniffer opened. */
  public synchronized long count() {
    return count;
  }

  /** The latest arrival at or before {@code time} ({@link System#nanoTime()}); empty if none is kept. */
  public synchronized OptionalLong latestAtOrBefore(long time) {
    for (long i = count - 1; i >= 0 && i >= count - KEPT; i--) {
      long at = arrivals[(int) (i % KEPT)];
      if (at - time <= 0) {
        return OptionalLong.of(at);
      }
    }
    return OptionalLong.empty();
  }

  /**
   * The first arrival after {@code time}, waiting for it up to {@code timeoutNanos} from now; empty
   * on timeout.
   */
  public synchronized OptionalLong awaitAfter(long time, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      long first = Long.MIN_VALUE;
      boolean found = false;
      for (long i = count - 1; i >= 0 && i >= count - KEPT; i--) {
        long at = arrivals[(int) (i % KEPT)];
        if (at - time <= 0) {
          break;
        }
        first = at;
        found = true;
      }
      if (found) {
        return OptionalLong.of(first);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return OptionalLong.empty();
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // The thread sees the flag within one receive timeout; the fd is closed only after it has
    // left recv, else a new socket could get the number while it still reads from it.
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Libc.INSTANCE.close(fd);
    } catch (LastErrorException e) {
      System.err.println("sniffer " + name + ": close failed: " + errno(e));
    }
  }

  private static String errno(LastErrorException e) {
    return Errno.describe(e.getErrorCode());
  }

  @Override
  public String toString() {
    return "AdvertisementSniffer[" + name + "]";
  }
}
