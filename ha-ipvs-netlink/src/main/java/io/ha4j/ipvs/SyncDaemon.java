package io.ha4j.ipvs;

import java.net.InetAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A connection-synchronisation daemon of the kernel (ipvsadm {@code --start-daemon}).
 *
 * @param state master (sends) or backup (receives)
 * @param interfaceName the multicast interface
 * @param syncId the sync id (0..255) that pairs a master with its backups
 * @param maxLength largest sync message payload, 0 for the kernel's default (derived from the MTU)
 * @param group multicast group, or null for the default 224.0.0.81
 * @param port UDP port, 0 for the default 8848
 * @param ttl multicast TTL, 0 for the default 1
 */
public record SyncDaemon(
    State state,
    String interfaceName,
    int syncId,
    int maxLength,
    @Nullable InetAddress group,
    int port,
    int ttl) {

  /** {@code IP_VS_STATE_MASTER} / {@code IP_VS_STATE_BACKUP}. */
  public enum State {
    MASTER(1),
    BACKUP(2);

    private final int kernelValue;

    State(int kernelValue) {
      this.kernelValue = kernelValue;
    }

    public int kernelValue() {
      return kernelValue;
    }

    public static State ofKernelValue(int v) {
      for (State s : values()) {
        if (s.kernelValue == v) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown sync daemon state " + v);
    }
  }

  public SyncDaemon {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(interfaceName, "interfaceName");
    if (interfaceName.isEmpty() || interfaceName.length() > 15) {
      throw new IllegalArgumentException("interfaceName must be 1..15 characters, was '" + interfaceName + "'");
    }
    range("syncId", syncId, 255);
    range("maxLength", maxLength, 65535);
    range("port", port, 65535);
    range("ttl", ttl, 255);
  }

  /** A daemon with the kernel's defaults for length, group, port and TTL. */
  public static SyncDaemon of(State state, String interfaceName, int syncId) {
    return new SyncDaemon(state, interfaceName, syncId, 0, null, 0, 0);
  }

  private static void range(String field, int v, int max) {
    if (v < 0 || v > max) {
      throw new IllegalArgumentException(field + " must be 0.." + max + ", was " + v);
    }
  }
}
