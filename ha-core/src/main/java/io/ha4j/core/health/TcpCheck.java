package io.ha4j.core.health;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.HealthCheck;
import io.ha4j.core.health.internal.Probes;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Up when a TCP connection to {@code address} can be established (keepalived's {@code TCP_CHECK},
 * ldirectord's {@code connect}). The connection is closed at once with a reset (SO_LINGER 0) so that
 * thousands of checks leave no TIME_WAIT sockets on the director.
 *
 * @param address the real server's address and port, resolved
 */
public record TcpCheck(InetSocketAddress address) implements HealthCheck {

  public TcpCheck {
    Objects.requireNonNull(address, "address");
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("address must be resolved, was " + address);
    }
  }

  @Override
  public CompletionStage<CheckResult> run(CheckContext context) {
    return Probes.of(context).connect(address);
  }
}
