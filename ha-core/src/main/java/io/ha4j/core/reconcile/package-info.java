/**
 * The desired-state reconciler: ldirectord's job. From the virtual services an application wants,
 * the health of their real servers and the operator's maintenance overrides, it computes the
 * smallest set of {@link io.ha4j.api.table.TableOp}s that brings a
 * {@link io.ha4j.api.table.LoadBalancerTable} to that state, and applies them.
 *
 * <p>{@link io.ha4j.core.reconcile.Reconciler#plan} is a pure function; a
 * {@link io.ha4j.core.reconcile.Reconciler} adds the table and the one piece of state that outlives a
 * pass, the quorum of each service (keepalived's {@code quorum} with {@code hysteresis}).
 */
@NullMarked
package io.ha4j.core.reconcile;

import org.jspecify.annotations.NullMarked;
