/**
 * A simulated network for heartbeat traffic: per-link loss, delay with jitter, duplication,
 * reordering, one-way and two-way partitions, every random choice from one seed.
 */
@NullMarked
package io.ha4j.testkit.net;

import org.jspecify.annotations.NullMarked;
