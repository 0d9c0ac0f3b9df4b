/**
 * Heartbeat advertisements and a VRRP-style master election.
 *
 * <p>{@link io.ha4j.heartbeat.VrrpElection} implements {@link io.ha4j.api.election.Election}
 * with the state machine of RFC 5798 section 6.4 (Initialize, Backup, Master) plus FAULT from
 * tracked objects, as keepalived does. It owns no thread: it runs on an {@link
 * io.ha4j.api.Scheduler} and talks through a {@link io.ha4j.api.transport.DatagramTransport} (the
 * UDP one is {@link io.ha4j.heartbeat.udp.UdpTransport}). Given a {@link
 * io.ha4j.api.transport.WitnessTransport}, it keeps a death witness: each backup holds an
 * authenticated connection to its master, and when the master's kernel closes it for a dead
 * process (and refuses a new one), the backup takes over within milliseconds instead of after the
 * Master_Down_Interval; every other case is left to the timer (package {@code
 * io.ha4j.heartbeat.witness} works through them).
 *
 * <h2>Wire format, version 1</h2>
 *
 * <p>One advertisement per UDP datagram, all integers big-endian (network order):
 *
 * <pre>
 * offset size field
 *  0     4    magic, ASCII "HA4J" (0x48 0x41 0x34 0x4A)
 *  4     1    version, 1
 *  5     1    key id (0..255): which shared key made the digest
 *  6     1    group id (1..255), like the VRID of VRRP
 *  7     1    state of the sender: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT
 *  8     4    cluster id (any 32-bit value)
 * 12     1    priority (0..255); 0 = the sender is leaving (RFC 5798 section 6.4.3)
 * 13     1    n = length of the node id in bytes (1..64)
 * 14     1    kind: 0 advertisement, 1 freshness challenge, 2 response to a challenge
 * 15     1    reserved, 0
 * 16     4    advertisement interval in milliseconds (1..3,600,000)
 * 20     8    incarnation: chosen anew on every start of the sender
 * 28     8    sequence number, 1, 2, 3, ... within one incarnation
 * 36    32    SHA-256 digest of the sender's virtual address set (see below)
 * 68     n    node id, UTF-8
 * 68+n  32    HMAC-SHA-256 with the key named by the key id, over bytes 0 .. 68+n-1
 * </pre>
 *
 * <p>An advertisement is exactly {@code 100 + n} bytes long. A challenge or a response has 17 +
 * m bytes more between the node id and the HMAC (which covers them too):
 *
 * <pre>
 * 68+n      16    nonce: random bytes of the challenger
 * 84+n       1    m = length of the peer's node id (1..64): a challenge's target, a response's challenger
 * 85+n       m    the peer's node id, UTF-8
 * 85+n+m    32    HMAC-SHA-256
 * </pre>
 *
 * <p>A response carries the sender's state, priority, interval, incarnation and next sequence
 * number as an advertisement does; a challenge's header names its sender, and its incarnation
 * and sequence are 0 (challenges are not replay-checked). The virtual address digest is SHA-256 over
 * the sorted, distinct {@code address/prefix} strings of the VIP set, each followed by a newline;
 * the interface names are left out because they may differ between members. A differing digest is
 * counted and logged but does not drop the advertisement (RFC 5798 section 7.1 only asks to log a
 * mismatched address list).
 *
 * <h2>What a receiver checks, in this order</h2>
 *
 * <ol>
 *   <li>with unicast peers, the source address is one of theirs ({@code UNKNOWN_SOURCE});
 *   <li>structure: length, magic, node id length, reserved bits, state and interval ranges
 *       ({@link io.ha4j.heartbeat.DropReason#MALFORMED}); version ({@code UNSUPPORTED_VERSION});
 *   <li>cluster id ({@code OTHER_CLUSTER}) and group id ({@code OTHER_GROUP});
 *   <li>the key id is one of the (at most two, during a rollover) accepted keys ({@code
 *       UNKNOWN_KEY}) and the HMAC matches, compared in constant time ({@code BAD_DIGEST});
 *   <li>the IP TTL / hop limit is 255 when the transport can tell ({@code BAD_TTL});
 *   <li>the node id is not our own ({@code OWN_NODE_ID}: multicast loops our own adverts back);
 *       under our id with another incarnation it is another member's, configured with the same
 *       id: counted as a duplicate node id, logged at ERROR and treated as a peer's;
 *   <li>the key is not retired ({@code RETIRED_KEY}; {@link
 *       io.ha4j.heartbeat.VrrpElection#retireKey(int, java.time.Duration)}: at once or at a deadline
 *       on the scheduler's clock; the signing key cannot be retired);
 *   <li>freshness, below: a challenge is answered if it names us, and counts for nothing else; a
 *       response to us must echo the nonce we have outstanding for its sender ({@code BAD_PROOF});
 *       any other advertisement must belong to its sender's proven incarnation ({@code UNPROVEN}
 *       otherwise, and the sender is challenged), with a sequence number above every one seen in it
 *       ({@code REPLAYED}).
 * </ol>
 *
 * <p>All but the key's retirement and freshness run on the transport's receive thread, before
 * anything is queued for the election; what passes waits in a bounded queue ({@code QUEUE_FULL}
 * when it is full).
 *
 * <h2>Freshness</h2>
 *
 * <p>A receiver counts a sender's advertisements only in an incarnation that the sender proved
 * alive to this receiver: an advertisement of any other incarnation (a new member, a restart,
 * lower or higher than the one known, and every sender right after this receiver started) is
 * dropped as {@code UNPROVEN} and its sender challenged: the receiver sends a challenge with 16
 * bytes from {@link java.security.SecureRandom} to its destinations, naming the sender. The sender
 * (running as master or backup) answers at once with a response echoing the nonce; the receiver
 * then adopts the response's incarnation and sequence number, replacing what it knew, and hands
 * the response to the state machine as the sender's advertisement. So:
 *
 * <ul>
 *   <li>a member restarted with its wall clock behind (a VM snapshot restored, a start before NTP
 *       sync) is followed again one round trip after its first advertisement;
 *   <li>an incarnation of {@code Long.MAX_VALUE} sent once by a key holder locks nobody out: the
 *       real sender's next advertisement is challenged and its proven incarnation replaces it;
 *   <li>a replayed capture can never answer a fresh nonce, so it never holds a backup, not even
 *       one that just restarted: the backup takes over after its master-down interval.
 * </ul>
 *
 * <p>Bounds: one nonce outstanding per sender, renewed at most once per advertisement interval of
 * the receiver; a challenger is answered at most once per quarter interval of the sender; at
 * most 256 senders, 64 pending challenges and 64 recent challengers are remembered (the oldest are
 * forgotten first, which only costs another challenge). Only authenticated packets reach this
 * state. Challenges and responses are counted ({@link
 * io.ha4j.heartbeat.VrrpElection#proofStats()}) and logged at DEBUG. Members of a version without
 * freshness proofs drop challenges as malformed (the kind byte was reserved): mixed versions do
 * not follow each other, so upgrade all members of a group together. The VRRPv3 wire format
 * (keepalived interop) has no authentication and no incarnation; it is unchanged.
 *
 * <p>Masters advertise with state MASTER; a leaving member sends priority 0 (state INIT or FAULT);
 * a master that steps down for a higher one sends one advertisement with state BACKUP, a
 * step-down notice that only the new master acts on (it re-announces the addresses).
 *
 * <p>Every rejected datagram is counted per reason ({@link
 * io.ha4j.heartbeat.VrrpElection#stats()}) and dropped; it never changes the election's state
 * and nothing is thrown out of the receive path. The digest covers the whole packet, so any change
 * of a field is detected. An incarnation defaults to the wall-clock milliseconds at start shifted
 * left by 20 bits plus 20 random bits; since a receiver adopts whatever incarnation a sender
 * proves fresh, it need not grow across restarts, only differ from the previous one.
 */
@NullMarked
package io.ha4j.heartbeat;

import org.jspecify.annotations.NullMarked;
