/**
 * The one JNA binding of libc and what the native modules share around it (the send buffer, the
 * send path's warm-up). Exported only to ha4j's own native modules; JNA may open it.
 */
@NullMarked
package io.ha4j.linux.internal;

import org.jspecify.annotations.NullMarked;
