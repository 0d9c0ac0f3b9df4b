package io.ha4j.api.address;

import io.ha4j.api.HaException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Adding, removing or announcing a virtual address failed. */
public class AddressException extends HaException {

  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** The interface does not exist ({@code ENODEV}). */
    NO_SUCH_INTERFACE,
    /** Missing CAP_NET_ADMIN or CAP_NET_RAW ({@code EPERM}, {@code EACCES}). */
    NOT_PERMITTED,
    /** The address is not in the configured VIP set: ha4j never touches other addresses. */
    NOT_MANAGED,
    /** The kernel rejected the request. */
    INVALID,
    /** Anything else, see {@link #errno()}. */
    OTHER
  }

  private final Reason reason;
  private final int errno;

  public AddressException(Reason reason, int errno, String message, @Nullable Throwable cause) {
    super(message + (errno != 0 ? " (errno " + errno + ")" : ""), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.errno = errno;
  }

  public AddressException(Reason reason, int errno, String message) {
    this(reason, errno, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The positive errno, or 0. */
  public int errno() {
    return errno;
  }
}
