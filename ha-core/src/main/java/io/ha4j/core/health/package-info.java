/**
 * The health-check engine: TCP, HTTP(S), UDP, command and user-supplied checks of real servers,
 * with interval, timeout, rise/fall and maintenance overrides, on a few threads.
 */
@NullMarked
package io.ha4j.core.health;

import org.jspecify.annotations.NullMarked;
