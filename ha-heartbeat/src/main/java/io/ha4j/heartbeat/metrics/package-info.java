/**
 * Micrometer meters for a {@link io.ha4j.heartbeat.VrrpElection}. Micrometer is an optional
 * dependency of ha4j: only this package uses it.
 *
 * <pre>{@code
 * new HeartbeatMetrics(election).bindTo(registry);
 * }</pre>
 */
@NullMarked
package io.ha4j.heartbeat.metrics;

import org.jspecify.annotations.NullMarked;
