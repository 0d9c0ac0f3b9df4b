/**
 * JUnit 5 support: {@link io.ha4j.testkit.junit.SimulatedCluster} tests against a simulated
 * cluster, and prerequisites of tests that need root, namespaces or a kernel VM.
 */
@NullMarked
package io.ha4j.testkit.junit;

import org.jspecify.annotations.NullMarked;
