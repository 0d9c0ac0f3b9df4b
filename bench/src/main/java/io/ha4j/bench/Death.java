package io.ha4j.bench;

import java.util.Locale;

/** How n1 dies in a run ({@code --death}). */
enum Death {
  /** kill -9 of the daemon (keepalived: its VRRP child and its parent): the host stays up, its kernel speaks for the dead process. */
  PROCESS,
  /** n1's link set down inside its namespace: the host is gone for the others, and no kernel speaks for it. */
  HOST;

  /** The word on the command line and in the report. */
  String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
