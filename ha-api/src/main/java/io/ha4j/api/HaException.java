package io.ha4j.api;

import org.jspecify.annotations.Nullable;

/** Base of the typed errors ha4j reports. Unchecked, so that it passes through callbacks. */
public class HaException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public HaException(String message) {
    super(message);
  }

  public HaException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
