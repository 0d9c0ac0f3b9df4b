/** The health engine's I/O: a selector loop for TCP and UDP, the shared HTTP clients, processes. */
@NullMarked
package io.ha4j.core.health.internal;

import org.jspecify.annotations.NullMarked;
