package io.ha4j.api;

/** Encapsulation of a {@link ForwardingMethod#TUN} real server ({@code IP_VS_CONN_F_TUNNEL_TYPE_*}). */
public enum TunnelType {
  IPIP(0),
  GUE(1),
  GRE(2);

  private final int kernelValue;

  TunnelType(int kernelValue) {
    this.kernelValue = kernelValue;
  }

  /** The kernel's value for this type. */
  public int kernelValue() {
    return kernelValue;
  }

  /** The type for kernel value {@code v}. */
  public static TunnelType ofKernelValue(int v) {
    for (TunnelType t : values()) {
      if (t.kernelValue == v) {
        return t;
      }
    }
    throw new IllegalArgumentException("unsupported tunnel type " + v);
  }
}
