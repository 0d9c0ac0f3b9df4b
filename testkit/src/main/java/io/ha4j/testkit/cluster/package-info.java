/**
 * Deterministic cluster simulation for fail-over tests: {@link
 * io.ha4j.testkit.cluster.ClusterHarness} runs members built from the real heartbeat election and
 * member logic on one virtual timeline over a simulated network; {@link
 * io.ha4j.testkit.cluster.Fault}s are injected by hand or from a {@link
 * io.ha4j.testkit.cluster.Scenario}; the {@link io.ha4j.testkit.cluster.History} of roles,
 * virtual address ownership and table changes is checked against the {@link
 * io.ha4j.testkit.cluster.Invariant}s; {@link io.ha4j.testkit.cluster.ClusterArbitraries} generates
 * clusters and fault schedules for jqwik, and a failing one is replayed in one line with {@link
 * io.ha4j.testkit.cluster.ClusterHarness#replay(long, String)}.
 */
@NullMarked
package io.ha4j.testkit.cluster;

import org.jspecify.annotations.NullMarked;
