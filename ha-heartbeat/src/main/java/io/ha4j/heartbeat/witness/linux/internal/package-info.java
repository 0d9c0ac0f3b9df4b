/** The Linux witness transport's poll loop, connections, probes and socket setup. */
@NullMarked
package io.ha4j.heartbeat.witness.linux.internal;

import org.jspecify.annotations.NullMarked;
