package io.ha4j.director;

import org.slf4j.Logger;
import sun.misc.Signal;

/**
 * What SIGHUP does to the daemon: nothing yet, and it says so. The JVM's own SIGHUP handler runs the
 * shutdown hooks, and so the hand-over: an operator's {@code systemctl reload}, or a {@code kill
 * -HUP} out of keepalived habit, would move the VIP. Until reload exists, the signal is logged at
 * INFO and ignored.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) replaces the JVM's handler for the signal. The
 * JVM option {@code -Xrs} would not do: it leaves SIGTERM to the operating system as well, which
 * then ends the process without the hand-over.
 */
final class HangUp {

  /** What the log says on each SIGHUP. */
  static final String IGNORED = "SIGHUP: reload is not supported yet; SIGHUP ignored (SIGTERM stops the director)";

  private HangUp() {}

  /**
   * Makes SIGHUP log {@link #IGNORED} instead of stopping the JVM; false, with a warning, when the
   * JVM keeps the signal to itself ({@code -Xrs}: SIGHUP then ends the process at once).
   */
  static boolean ignore(Logger log) {
    try {
      Signal.handle(new Signal("HUP"), s -> log.info(IGNORED));
      return true;
    } catch (IllegalArgumentException e) {
      log.warn("SIGHUP cannot be ignored ({}): it will end the director without a hand-over", e.getMessage());
      return false;
    }
  }
}
