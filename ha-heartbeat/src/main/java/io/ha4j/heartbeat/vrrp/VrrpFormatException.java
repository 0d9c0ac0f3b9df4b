package io.ha4j.heartbeat.vrrp;

/** A received VRRP packet is malformed; it is counted and dropped, never acted upon. */
public final class VrrpFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why, for the drop counters. */
  public enum Reason {
    TRUNCATED,
    BAD_VERSION,
    BAD_TYPE,
    BAD_LENGTH,
    BAD_CHECKSUM,
    BAD_FIELD
  }

  private final Reason reason;

  public VrrpFormatException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
