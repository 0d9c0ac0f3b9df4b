package io.ha4j.api;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A virtual service: the address clients connect to and how the director spreads them over real
 * servers.
 *
 * @param key protocol, address and port, or firewall mark
 * @param scheduler scheduler name as the kernel knows it ({@code rr}, {@code wlc}, {@code mh}, ...)
 * @param flags user-settable service flags
 * @param persistenceTimeoutSeconds 0 for none; otherwise clients stick to a real server for this
 *     long (ipvsadm {@code -p})
 * @param persistenceNetmask prefix length that groups clients for persistence (ipvsadm {@code -M});
 *     32 or 128 by default
 * @param persistenceEngine a persistence engine such as {@code sip}, or null
 */
public record VirtualService(
    ServiceKey key,
    String scheduler,
    Set<ServiceFlag> flags,
    int persistenceTimeoutSeconds,
    int persistenceNetmask,
    @Nullable String persistenceEngine) {

  /** Longest scheduler or persistence-engine name ({@code IP_VS_SCHEDNAME_MAXLEN - 1}). */
  public static final int MAX_NAME_LENGTH = 15;

  public VirtualService {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(scheduler, "scheduler");
    checkName("scheduler", scheduler);
    flags = Set.copyOf(Objects.requireNonNull(flags, "flags"));
    if (persistenceTimeoutSeconds < 0) {
      throw new IllegalArgumentException(
          "persistenceTimeoutSeconds must not be negative, was " + persistenceTimeoutSeconds);
    }
    int max = key.family().bits();
    if (persistenceNetmask < 0 || persistenceNetmask > max) {
      throw new IllegalArgumentException(
          "persistenceNetmask must be 0.." + max + " for " + key.family() + ", was " + persistenceNetmask);
    }
    if (persistenceEngine != null) {
      checkName("persistenceEngine", persistenceEngine);
    }
    if (key instanceof ServiceKey.Inet inet && inet.port() == 0 && persistenceTimeoutSeconds == 0) {
      throw new IllegalArgumentException("port 0 is allowed only for a persistent service: " + key);
    }
  }

  /** A service with scheduler {@code scheduler}, no flags and no persistence. */
  public static VirtualService of(ServiceKey key, String scheduler) {
    return new VirtualService(key, scheduler, Set.of(), 0, key.family().bits(), null);
  }

  /** Whether clients stick to one real server. */
  public boolean persistent() {
    return persistenceTimeoutSeconds > 0;
  }

  public VirtualService withScheduler(String name) {
    return new VirtualService(key, name, flags, persistenceTimeoutSeconds, persistenceNetmask, persistenceEngine);
  }

  public VirtualService withFlags(Set<ServiceFlag> f) {
    return new VirtualService(key, scheduler, f.isEmpty() ? Set.of() : EnumSet.copyOf(f), persistenceTimeoutSeconds, persistenceNetmask, persistenceEngine);
  }

  public VirtualService withPersistence(int timeoutSeconds, int netmask) {
    return new VirtualService(key, scheduler, flags, timeoutSeconds, netmask, persistenceEngine);
  }

  public VirtualService withPersistenceEngine(@Nullable String engine) {
    return new VirtualService(key, scheduler, flags, persistenceTimeoutSeconds, persistenceNetmask, engine);
  }

  private static void checkName(String field, String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          field + " must be 1.." + MAX_NAME_LENGTH + " characters, was '" + name + "'");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        throw new IllegalArgumentException(field + " has an invalid character: '" + name + "'");
      }
    }
  }
}
