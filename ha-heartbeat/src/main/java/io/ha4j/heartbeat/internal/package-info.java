/** Bookkeeping of the election that is not part of the public API. */
@NullMarked
package io.ha4j.heartbeat.internal;

import org.jspecify.annotations.NullMarked;
