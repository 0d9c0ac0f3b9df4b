package io.ha4j.core.health;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.core.health.internal.Probes;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Up when a datagram sent to {@code address} gets a reply (and, if {@code expectedReply} is set,
 * the reply has exactly those bytes). An ICMP port-unreachable answer counts as down at once.
 *
 * @param address the real server's address and port, resolved
 * @param payload the request datagram, at most 65507 bytes
 * @param expectedReply the exact reply expected, or null to accept any reply
 */
public record UdpCheck(InetSocketAddress address, byte[] payload, byte @Nullable [] expectedReply)
    implements HealthCheck {

  public UdpCheck {
    Objects.requireNonNull(address, "address");
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("address must be resolved, was " + address);
    }
    Objects.requireNonNull(payload, "payload");
    if (payload.length > 65507) {
      throw new IllegalArgumentException("payload must be at most 65507 bytes, was " + payload.length);
    }
    payload = payload.clone();
    expectedReply = expectedReply == null ? null : expectedReply.clone();
  }

  /** Any reply to {@code payload} counts as up. */
  public static UdpCheck anyReply(InetSocketAddress address, byte[] payload) {
    return new UdpCheck(address, payload, null);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public byte @Nullable [] expectedReply() {
    return expectedReply == null ? null : expectedReply.clone();
  }

  @Override
  public CompletionStage<CheckResult> run(CheckContext context) {
    return Probes.of(context).datagram(address, payload, expectedReply);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof UdpCheck u
        && address.equals(u.address)
        && Arrays.equals(payload, u.payload)
        && Arrays.equals(expectedReply, u.expectedReply);
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, Arrays.hashCode(payload), Arrays.hashCode(expectedReply));
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "UdpCheck[address=" + address + ", payload=" + hex.formatHex(payload) + ", expectedReply="
        + (expectedReply == null ? "any" : hex.formatHex(expectedReply)) + "]";
  }
}
