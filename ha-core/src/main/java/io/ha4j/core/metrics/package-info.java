/**
 * Micrometer meters for a {@link io.ha4j.core.member.Member} and a {@link
 * io.ha4j.core.health.HealthEngine}. Micrometer is an optional dependency of ha4j: only this
 * package uses it, so an application without Micrometer never loads it.
 *
 * <pre>{@code
 * new MemberMetrics(member).bindTo(registry);
 * new HealthMetrics(engine).bindTo(registry);
 * }</pre>
 */
@NullMarked
package io.ha4j.core.metrics;

import org.jspecify.annotations.NullMarked;
