/**
 * The member: one node of an HA cluster, tying an {@link io.ha4j.api.election.Election} to the
 * virtual addresses it owns and the load-balancer table it programs, with standby policies (hot,
 * warm, cold), a runtime API for changes without reload, events and availability accounting.
 */
@NullMarked
package io.ha4j.core.member;

import org.jspecify.annotations.NullMarked;
