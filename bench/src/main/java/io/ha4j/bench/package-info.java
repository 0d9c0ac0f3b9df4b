/** Benchmarks: mains that print figures; run them through the scripts in {@code bench/}. */
@NullMarked
package io.ha4j.bench;

import org.jspecify.annotations.NullMarked;
