/**
 * Real network topologies for tests: Linux network namespaces joined by a bridge, built and torn
 * down by the test itself. Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and iproute2.
 */
@NullMarked
package io.ha4j.testkit.netns;

import org.jspecify.annotations.NullMarked;
