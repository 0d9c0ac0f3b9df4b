package io.ha4j.netlink;

import io.ha4j.api.HaException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A netlink request failed: the kernel answered with an errno, no answer came in time, the kernel
 * dropped messages, a reply was malformed, or the socket itself failed.
 */
public class NetlinkException extends HaException {

  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The kernel answered {@code NLMSG_ERROR} with a negative errno; see {@link #errno()}. */
    KERNEL,
    /** No reply within the timeout. */
    TIMEOUT,
    /** The socket's receive queue overflowed ({@code ENOBUFS}); replies were lost. */
    OVERRUN,
    /** A reply was malformed, truncated or did not belong to the request. */
    PROTOCOL,
    /** A system call on the socket failed; see {@link #errno()}. */
    IO,
    /** Netlink sockets cannot be used here (not Linux, JNA missing, native code disabled). */
    UNAVAILABLE
  }

  private final Kind kind;
  private final int errno;
  private final @Nullable String extendedAck;
  private final String detail;

  public NetlinkException(Kind kind, int errno, String message, @Nullable String extendedAck,
      @Nullable Throwable cause) {
    super(message + (errno != 0 ? " (errno " + errno + ")" : "")
        + (extendedAck != null ? ": " + extendedAck : ""), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.errno = errno;
    this.extendedAck = extendedAck;
    this.detail = message;
  }

  /** The message without the errno and extended-ack suffixes. */
  public String detail() {
    return detail;
  }

  /** A malformed or unexpected reply. */
  public static NetlinkException protocol(String message) {
    return new NetlinkException(Kind.PROTOCOL, 0, message, null, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The positive errno, or 0 when there is none. */
  public int errno() {
    return errno;
  }

  /** The kernel's extended-ack text ({@code NLMSGERR_ATTR_MSG}), or null. */
  public @Nullable String extendedAck() {
    return extendedAck;
  }
}
