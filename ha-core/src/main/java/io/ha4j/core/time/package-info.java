/**
 * The schedulers: {@link io.ha4j.core.time.SystemScheduler} for real time, and virtual time for
 * simulations and tests, a {@link io.ha4j.core.time.VirtualClock} that owns a timeline and the
 * {@link io.ha4j.core.time.VirtualScheduler}s that run on it.
 *
 * <p>All tasks of all schedulers of one clock run on the thread that advances the clock, one at a
 * time, in deadline order; tasks with the same deadline run in the order they were scheduled. A
 * whole cluster (one scheduler per member) thus runs deterministically, and a scheduler can be
 * frozen to simulate a stalled process.
 *
 * <pre>{@code
 * VirtualClock clock = new VirtualClock();
 * VirtualScheduler n1 = clock.newScheduler("n1");
 * election = new VrrpElection(config, transport, n1);
 * election.start();
 * clock.advanceBy(Duration.ofSeconds(4));
 * n1.freeze(Duration.ofSeconds(2));     // n1 stands still for 2 s, as in a GC pause
 * clock.advanceBy(Duration.ofSeconds(3));
 * }</pre>
 */
@NullMarked
package io.ha4j.core.time;

import org.jspecify.annotations.NullMarked;
