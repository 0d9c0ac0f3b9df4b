package io.ha4j.ipvs;

/**
 * Connection timeouts in seconds (ipvsadm {@code --set tcp tcpfin udp}). On
 * {@link IpvsClient#setTimeouts} a 0 leaves that timeout unchanged, as in the kernel.
 */
public record IpvsTimeouts(int tcpSeconds, int tcpFinSeconds, int udpSeconds) {
  public IpvsTimeouts {
    check("tcpSeconds", tcpSeconds);
    check("tcpFinSeconds", tcpFinSeconds);
    check("udpSeconds", udpSeconds);
  }

  private static void check(String field, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(field + " must not be negative, was " + v);
    }
  }
}
