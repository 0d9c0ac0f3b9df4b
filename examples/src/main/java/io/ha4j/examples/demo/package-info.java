/**
 * The fail-over demo: {@link io.ha4j.examples.demo.Demo} runs a three-director cluster on the
 * testkit's simulated network and virtual clock (real election, real member, fake kernels),
 * injects a crash, a restart, a partition and its heal, and prints the timeline and the measured
 * fail-over times, availability and invariant checks ({@link io.ha4j.examples.demo.DemoReport}).
 */
@NullMarked
package io.ha4j.examples.demo;

import org.jspecify.annotations.NullMarked;
