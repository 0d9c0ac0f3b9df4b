/**
 * Internals shared by ha4j's own modules (a qualified export): the scheduler of a take-over
 * rehearsal. Not an API.
 */
@NullMarked
package io.ha4j.api.internal;

import org.jspecify.annotations.NullMarked;
