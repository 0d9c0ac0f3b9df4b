package io.ha4j.api;

/** The transport protocol of a virtual service, with its IP protocol number. */
public enum Protocol {
  TCP(6),
  UDP(17),
  SCTP(132);

  private final int number;

  Protocol(int number) {
    this.number = number;
  }

  /** The IANA protocol number ({@code IPPROTO_*}). */
  public int number() {
    return number;
  }

  /** The protocol with IANA number {@code proto}. */
  public static Protocol ofNumber(int proto) {
    for (Protocol p : values()) {
      if (p.number == proto) {
        return p;
      }
    }
    throw new IllegalArgumentException("unsupported protocol number " + proto);
  }
}
