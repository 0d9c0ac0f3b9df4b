package io.ha4j.testkit.ipvs;

import io.ha4j.linux.Errno;
import org.jspecify.annotations.Nullable;

/** A kernel error while handling a request: its errno and, if any, its extended-ack text. */
final class KernelError extends Exception {
  private static final long serialVersionUID = 1L;

  final Errno errno;
  final @Nullable String text;

  KernelError(Errno errno, @Nullable String text) {
    super(null, null, false, false);
    this.errno = errno;
    this.text = text;
  }
}
