package io.ha4j.api.table;

import io.ha4j.api.HaException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A load-balancer table refused an operation or could not be reached. Carries the kernel's errno
 * and extended-ack text where there is one, so an operator sees what ipvsadm would have said.
 */
public class TableException extends HaException {

  private static final long serialVersionUID = 1L;

  /** Why an operation failed, in the kernel's terms. */
  public enum Reason {
    /** The service or real server already exists ({@code EEXIST}). */
    EXISTS,
    /** No such virtual service ({@code ESRCH}). */
    NO_SUCH_SERVICE,
    /** No such real server, or no such scheduler/persistence engine ({@code ENOENT}). */
    NOT_FOUND,
    /** The caller lacks CAP_NET_ADMIN ({@code EPERM}). */
    NOT_PERMITTED,
    /** The kernel rejected an attribute ({@code EINVAL}, {@code EAFNOSUPPORT}, ...). */
    INVALID,
    /** The reply did not arrive in time. */
    TIMEOUT,
    /** The kernel dropped messages ({@code ENOBUFS}). */
    OVERRUN,
    /** A malformed or unexpected reply. */
    PROTOCOL,
    /** Anything else, see {@link #errno()}. */
    OTHER
  }

  private final Reason reason;
  private final int errno;
  private final @Nullable String extendedAck;

  public TableException(Reason reason, int errno, String message, @Nullable String extendedAck) {
    this(reason, errno, message, extendedAck, null);
  }

  public TableException(
      Reason reason, int errno, String message, @Nullable String extendedAck, @Nullable Throwable cause) {
    super(message + (errno != 0 ? " (errno " + errno + ")" : "")
        + (extendedAck != null ? ": " + extendedAck : ""), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.errno = errno;
    this.extendedAck = extendedAck;
  }

  public Reason reason() {
    return reason;
  }

  /** The positive errno the kernel returned, or 0. */
  public int errno() {
    return errno;
  }

  /** The kernel's extended-ack message ({@code NLMSGERR_ATTR_MSG}), or null. */
  public @Nullable String extendedAck() {
    return extendedAck;
  }
}
