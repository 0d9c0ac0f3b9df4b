/**
 * Heartbeat advertisements and a VRRP-style master election.
 *
 * <p>{@link io.ha4j.heartbeat.VrrpElection} implements {@link io.ha4j.api.election.Election}
 * with the state machine of RFC 5798 section 6.4 (Initialize, Backup, Master) plus FAULT from
 * tracked objects, as keepalived does. It owns no thread: it runs on an {@link
 * io.ha4j.api.Scheduler} and talks through a {@link io.ha4j.api.transport.DatagramTransport} (the
 * UDP one is {@link io.ha4j.heartbeat.udp.UdpTransport}).
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
 * 14     2    reserved, 0
 * 16     4    advertisement interval in milliseconds (1..3,600,000)
 * 20     8    incarnation: chosen anew on every start of the sender
 * 28     8    sequence number, 1, 2, 3, ... within one incarnation
 * 36    32    SHA-256 digest of the sender's virtual address set (see below)
 * 68     n    node id, UTF-8
 * 68+n  32    HMAC-SHA-256 with the key named by the key id, over bytes 0 .. 68+n-1
 * </pre>
 *
 * <p>A datagram is exactly {@code 100 + n} bytes long. The virtual address digest is SHA-256 over
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
 *   <li>replay: per sender, the incarnation must not be older than the newest one seen, and within
 *       an incarnation the sequence number must grow ({@code REPLAYED}).
 * </ol>
 *
 * <p>All but the replay check run on the transport's receive thread, before anything is queued for
 * the election; what passes waits in a bounded queue ({@code QUEUE_FULL} when it is full).
 *
 * <p>Masters advertise with state MASTER; a leaving member sends priority 0 (state INIT or FAULT);
 * a master that steps down for a higher one sends one advertisement with state BACKUP, a
 * step-down notice that only the new master acts on (it re-announces the addresses).
 *
 * <p>Every rejected datagram is counted per reason ({@link
 * io.ha4j.heartbeat.VrrpElection#stats()}) and dropped; it never changes the election's state
 * and nothing is thrown out of the receive path. The digest covers the whole packet, so any change
 * of a field is detected. An incarnation defaults to the wall-clock milliseconds at start shifted
 * left by 20 bits plus 20 random bits: it grows across restarts as long as the sender's wall clock
 * does not step back; a member restarted with a clock set back is ignored by peers that remember
 * its newer incarnation until they restart.
 */
@NullMarked
package io.ha4j.heartbeat;

import org.jspecify.annotations.NullMarked;
