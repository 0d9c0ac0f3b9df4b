/**
 * The take-over warm-up.
 *
 * <p>Why: a hot standby runs its take-over once, when every client waits for it, and Java's first
 * run of a path is slow: classes loaded, call sites and lambdas linked, bytecode interpreted. On a
 * 2-vCPU VM that put 1.5-3 ms of class loading and linking after the gratuitous ARP and 0.6-0.9 ms
 * between the master-down timer and the ARP, where keepalived's C needs 0.2 ms in all.
 * {@link io.ha4j.warmup.TakeOverWarmUp} runs the same take-over code ahead on copies that touch
 * nothing, so that the real take-over runs linked, partly compiled code.
 *
 * <p>It warms code, and code is per JVM: run it once per JVM, before the member starts. The
 * director does; an embedding application opts in.
 */
@NullMarked
package io.ha4j.warmup;

import org.jspecify.annotations.NullMarked;
