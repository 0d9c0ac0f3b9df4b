/**
 * An HTTP service that embeds ha4j so that whichever instance is master owns the VIP: {@link
 * io.ha4j.examples.app.EmbeddedApp} (examples/bin/embedded-app).
 *
 * <p>Each instance runs a {@link io.ha4j.core.member.Member} with a heartbeat election (HMAC-signed
 * UDP advertisements, unicast to its peers) and a {@link io.ha4j.vip.VipOwner}; it has no
 * load-balancer table. The HTTP server listens on every address of the host, so requests to the
 * VIP reach the instance that holds it. {@code GET /} greets with the node id and role; {@code GET
 * /ha} shows the node's view of the cluster.
 */
@NullMarked
package io.ha4j.examples.app;

import org.jspecify.annotations.NullMarked;
