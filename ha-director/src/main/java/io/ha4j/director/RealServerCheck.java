package io.ha4j.director;

import io.ha4j.api.RealServer;
import io.ha4j.api.health.CheckSettings;
import io.ha4j.api.health.HealthCheck;
import java.util.Objects;

/**
 * The checker of one real server ({@code TCP_CHECK} or {@code HTTP_GET} / {@code SSL_GET}).
 *
 * @param endpoint the real server checked
 * @param check what is checked
 * @param settings interval ({@code delay_loop}), timeout ({@code connect_timeout}), retries
 *     ({@code retry}, {@code delay_before_retry}) and ha4j's {@code rise} / {@code fall}
 */
public record RealServerCheck(RealServer.Endpoint endpoint, HealthCheck check, CheckSettings settings) {

  public RealServerCheck {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(settings, "settings");
  }
}
