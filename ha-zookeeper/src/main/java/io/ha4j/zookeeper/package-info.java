/**
 * An {@link io.ha4j.api.election.Election} on Apache ZooKeeper through Apache Curator: the master
 * is the member whose session holds the group's ephemeral leader node, so that a partition cannot
 * give two masters, and a master gives up its role (and so, through the member, its virtual
 * addresses) before the ensemble could let another member lead.
 *
 * <h2>The znodes</h2>
 *
 * Under the configured path ({@code /ha4j/election} by default): {@code candidates/c_<priority>_<p|n>_<node
 * id in hex>_<sequence>}, one ephemeral sequential node per live member, and {@code leader}, an
 * ephemeral node created by the best candidate when there is none. Its {@code czxid} is the term's
 * fencing token ({@link io.ha4j.zookeeper.ZooKeeperElection#fencingToken()}): a later term's node
 * is created by a later write and so has a greater zxid. A master that loses its role while
 * keeping its session (a connection blip, a stall) and finds the node still its own after proving
 * the session leads again in the same term, with the same token, because no one else could have
 * held the node meanwhile.
 *
 * <h2>The release margin (Curator 5.9.0, ZooKeeper 3.9.5)</h2>
 *
 * With a negotiated session timeout {@code T}:
 *
 * <ul>
 *   <li>The ZooKeeper client ({@code ClientCnxn}) sets its read timeout to {@code 2T/3} and its
 *       per-server connect timeout to {@code T/n} for {@code n} servers in the connect string. It
 *       sends a ping when it has sent nothing for {@code T/3}, and drops the connection when it has
 *       received nothing for {@code 2T/3}; the drop is a {@code Disconnected} event, which Curator's
 *       {@code ConnectionStateManager} posts as {@code SUSPENDED} (a closed socket is noticed at
 *       once, a silent partition only by the read timeout).
 *   <li>The ensemble expires a session {@code T} (rounded up to the next tick) after the last
 *       packet it received from the client; the follower the client is connected to relays the
 *       session's touches to the quorum leader, which only delays expiry further.
 *   <li>The ZooKeeper client's NIO socket (its default) sleeps 100 ms in {@code cleanup()} before
 *       it queues {@code Disconnected}: every SUSPENDED comes at least that late.
 *   <li>The last packet the client received answers one it sent, so both clocks start at the same
 *       exchange: the client suspends at most {@code 2T/3 + 100 ms + d} after the server's last
 *       receipt (one-way delay {@code d}), and the server expires the session at least {@code T}
 *       after it. The <b>release margin</b> is therefore {@code T/3 - 100 ms} less one network delay
 *       ({@link io.ha4j.zookeeper.ReleaseMargin}): 3.234 s for a 10 s session, 19.9 s for Curator's
 *       default 60 s, 400 ms for the 1.5 s of the tests, where a silent partition showed 434 to
 *       518 ms between the master's BACKUP and the other member's MASTER. The election turns
 *       SUSPENDED into BACKUP on its scheduler within milliseconds, far inside it. A session
 *       timeout of 300 ms or less leaves no margin and is refused.
 *   <li>Curator's error policy does not change this: the default {@code
 *       StandardConnectionStateErrorPolicy} counts SUSPENDED as an error and {@code
 *       SessionConnectionStateErrorPolicy} only LOST, but the policy only steers Curator's own
 *       recipes; this election acts on SUSPENDED whatever the policy says. Curator posts LOST once
 *       a SUSPENDED connection has lasted the whole negotiated timeout ({@code
 *       simulatedSessionExpirationPercent} 100, the default) or the server reports the expiry;
 *       the election then rejoins with a new session and a new candidate node.
 *   <li>Curator's {@code connectionTimeoutMs} bounds only how long its blocking calls wait for a
 *       connection; the election makes none (all its calls are background ones), so it plays no
 *       part in the margin.
 * </ul>
 *
 * <h2>Stalls</h2>
 *
 * A SUSPENDED event cannot help when the whole process stands still (GC pause, SIGSTOP, VM steal):
 * the client's pings stop too, and the session may expire before any thread runs again. The
 * election therefore ticks every quarter of the margin on its scheduler; a tick that runs more than
 * the margin late makes it report BACKUP at once, before any other task of the election, and it
 * does not lead again until a {@code sync} through the ensemble has succeeded and a fresh read
 * shows the leader node still its own (or free and its to claim). A stall longer than the margin
 * but shorter than the session timeout thus costs a role change and nothing else; a longer one
 * means another member may have led meanwhile, and the stalled one gives up on waking instead of
 * holding the role on stale state (the case Curator's tech note 10 and CURATOR-460 describe for the
 * leader recipes).
 */
@NullMarked
package io.ha4j.zookeeper;

import org.jspecify.annotations.NullMarked;
