package io.ha4j.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * Flags of a virtual service that a user sets ({@code IP_VS_SVC_F_*}). Persistence is not a flag
 * here: it follows from {@link VirtualService#persistenceTimeoutSeconds()}.
 */
public enum ServiceFlag {
  /** One-packet scheduling for UDP ({@code ops}). */
  ONE_PACKET(0x0004),
  /** Scheduler flag 1: {@code sh-fallback} / {@code mh-fallback}. */
  SCHED1(0x0008),
  /** Scheduler flag 2: {@code sh-port} / {@code mh-port}. */
  SCHED2(0x0010),
  /** Scheduler flag 3. */
  SCHED3(0x0020);

  private final int bit;

  ServiceFlag(int bit) {
    this.bit = bit;
  }

  /** The kernel's bit. */
  public int bit() {
    return bit;
  }

  /** The flags as the kernel's bit set. */
  public static int toBits(Set<ServiceFlag> flags) {
    int bits = 0;
    for (ServiceFlag f : flags) {
      bits |= f.bit;
    }
    return bits;
  }

  /** The user flags present in {@code bits}; other bits are ignored. */
  public static Set<ServiceFlag> fromBits(int bits) {
    EnumSet<ServiceFlag> s = EnumSet.noneOf(ServiceFlag.class);
    for (ServiceFlag f : values()) {
      if ((bits & f.bit) != 0) {
        s.add(f);
      }
    }
    return s;
  }
}
