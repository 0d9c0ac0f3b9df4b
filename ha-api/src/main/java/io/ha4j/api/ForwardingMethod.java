package io.ha4j.api;

/**
 * How the director forwards packets to a real server, with the kernel's {@code IP_VS_CONN_F_*}
 * values ({@code include/uapi/linux/ip_vs.h}).
 */
public enum ForwardingMethod {
  /** Masquerading ("NAT", ipvsadm {@code -m}). */
  NAT(0),
  /** IP tunnelling (ipvsadm {@code -i}); see {@link TunnelType}. */
  TUN(2),
  /** Direct routing ("gatewaying", ipvsadm {@code -g}); the default. */
  DR(3);

  private final int kernelValue;

  ForwardingMethod(int kernelValue) {
    this.kernelValue = kernelValue;
  }

  /** The {@code IP_VS_CONN_F_FWD_MASK} value the kernel uses. */
  public int kernelValue() {
    return kernelValue;
  }

  /** The method for kernel value {@code v} (the forwarding bits of the connection flags). */
  public static ForwardingMethod ofKernelValue(int v) {
    for (ForwardingMethod m : values()) {
      if (m.kernelValue == v) {
        return m;
      }
    }
    throw new IllegalArgumentException("unsupported forwarding method " + v);
  }
}
