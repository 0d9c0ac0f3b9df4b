/**
 * What a health check is: the {@link io.ha4j.api.health.HealthCheck} SPI, its context, results,
 * settings (interval, timeout, rise/fall) and states. The engine and the built-in TCP, HTTP(S), UDP
 * and command checks are in {@code ha-core} (package {@code io.ha4j.core.health}).
 */
@NullMarked
package io.ha4j.api.health;

import org.jspecify.annotations.NullMarked;
