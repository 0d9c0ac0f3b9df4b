/**
 * The desired state of a load-balancer table: the virtual services an application wants with their
 * real servers, sorry server, failure mode and quorum ({@link io.ha4j.api.reconcile.DesiredService}),
 * and where the health of each real server is read ({@link io.ha4j.api.reconcile.HealthLookup}).
 * The reconciler of {@code ha-core} (package {@code io.ha4j.core.reconcile}) brings a table there.
 */
@NullMarked
package io.ha4j.api.reconcile;

import org.jspecify.annotations.NullMarked;
