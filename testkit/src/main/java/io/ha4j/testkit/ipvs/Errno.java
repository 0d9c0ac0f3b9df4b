package io.ha4j.testkit.ipvs;

import org.jspecify.annotations.Nullable;

/** A kernel error while handling a request: its errno and, if any, its extended-ack text. */
final class Errno extends Exception {
  private static final long serialVersionUID = 1L;

  static final int ERANGE = 34;

  final int errno;
  final @Nullable String text;

  Errno(int errno, @Nullable String text) {
    super(null, null, false, false);
    this.errno = errno;
    this.text = text;
  }
}
