/**
 * Core value types of an LVS cluster (virtual services, real servers, virtual addresses, roles) and
 * injected time ({@link io.ha4j.api.Clock}, {@link io.ha4j.api.Scheduler}).
 */
@NullMarked
package io.ha4j.api;

import org.jspecify.annotations.NullMarked;
