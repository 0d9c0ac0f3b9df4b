package io.ha4j.heartbeat.witness.linux.internal;

import com.sun.jna.LastErrorException;
import io.ha4j.linux.Errno;
import io.ha4j.linux.internal.Libc;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Gives the witness transport's thread a descriptor table of its own, holding only the witness
 * sockets, so that they close the moment a killed process's threads exit rather than after the
 * kernel has freed the whole JVM's memory.
 *
 * <p>Why: a dying process's threads each leave its memory map and then their descriptor table;
 * the last to leave the shared map frees it (8-22 ms for the director's JVM, more with a larger
 * heap) and the last to leave the shared table closes the sockets, which comes after. A thread
 * with a private table ({@code unshare(CLONE_FILES)}) closes its sockets as soon as it exits
 * itself. Measured (kill -9 of a JVM with 60 MiB touched, 20 idle threads, its peer waiting for
 * the close, 15 runs each): median 16.7 ms and max 28.7 ms with the shared table, median 0.64 ms
 * and max 3.8 ms with a private one; {@code bench/failover-vs-keepalived.sh --death process}
 * measures the whole take-over with {@value #SHARED_PROPERTY} true and false.
 *
 * <p>The private table starts as a copy of the process's, so the copy is thinned at once: kept are
 * standard input, output and error, the descriptors named by the caller, and the JDK's class
 * sources (the run-time image, jars, class-data archives) so that a class loaded on this thread
 * still reads from the descriptors the class path opened. Everything else is closed in this
 * table alone (the process keeps its own), so that no socket, pipe or lock of the application
 * lingers until the witness closes. What the thread opens from now on exists in its table only,
 * which is why the transport runs no foreign code on it (see {@link Relay}).
 */
final class PrivateDescriptors {

  /** Set to {@code true} to keep the witness sockets in the process's shared descriptor table. */
  static final String SHARED_PROPERTY = "io.ha4j.heartbeat.witness.sharedDescriptors";

  private static final Path OWN_TABLE = Path.of("/proc/thread-self/fd");

  private PrivateDescriptors() {}

  /**
   * Moves the calling thread to a private descriptor table keeping {@code keep} (and the class
   * sources); returns why not, or null when it did. Call it on the thread that will own the
   * witness sockets, before it opens any.
   */
  static @Nullable String enter(Set<Integer> keep) {
    if (Boolean.getBoolean(SHARED_PROPERTY)) {
      return SHARED_PROPERTY + " is set";
    }
    if (!Files.isReadable(OWN_TABLE)) {
      return OWN_TABLE + " is not readable";
    }
    // Every jar of the class path opened now, while this thread still shares the table: a class
    // loaded here later must find its jar among the descriptors kept.
    PrivateDescriptors.class.getClassLoader().getResource("io/ha4j/heartbeat/witness/linux/internal/absent");
    try {
      Libc.INSTANCE.unshare(Libc.CLONE_FILES);
    } catch (LastErrorException e) {
      return "unshare(CLONE_FILES) failed: " + Errno.describe(e.getErrorCode());
    }
    for (int fd : inherited()) {
      if (fd > 2 && !keep.contains(fd) && !classSource(fd)) {
        TcpSockets.close(fd);
      }
    }
    return null;
  }

  /** The descriptors in this thread's table now (the listing's own is gone once it is read). */
  private static List<Integer> inherited() {
    List<Integer> fds = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(OWN_TABLE)) {
      for (Path p : s) {
        fds.add(Integer.parseInt(p.getFileName().toString()));
      }
    } catch (IOException | NumberFormatException e) {
      // the table was copied already; what cannot be listed stays open in it, as in the process
    }
    return fds;
  }

  private static boolean classSource(int fd) {
    String target;
    try {
      target = Files.readSymbolicLink(OWN_TABLE.resolve(Integer.toString(fd))).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
    return target.startsWith("/") && (target.endsWith(".jar") || target.endsWith(".jsa")
        || target.endsWith("/lib/modules") || target.endsWith(".jmod"));
  }
}
