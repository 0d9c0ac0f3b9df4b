/**
 * The death witness (issue 17): a backup takes over within milliseconds when its master's
 * <em>process</em> dies while its host stays up, because the master's kernel says so; in every
 * other case it concludes nothing and the Master_Down timer decides, as in RFC 5798.
 *
 * <p>Internal: {@link io.ha4j.heartbeat.VrrpElection} runs it when it is given a {@link
 * io.ha4j.api.transport.WitnessTransport}, {@link io.ha4j.heartbeat.HeartbeatConfig#witness()} is
 * on (the default) and the wire format is ha4j's own (never with VRRPv3: keepalived does not speak
 * it). Everything runs on the election's scheduler under its lock; the transport's callbacks are
 * handed over there, as received datagrams are. Counters: {@link
 * io.ha4j.heartbeat.VrrpElection#witnessStats()}.
 *
 * <h2>The protocol</h2>
 *
 * <ul>
 *   <li>Every member listens at its witness endpoint ({@link
 *       io.ha4j.heartbeat.HeartbeatConfig#witnessPort()}) from its first start until its process
 *       ends; the listener is what a probe finds alive.
 *   <li>A backup keeps one connection to the master it follows: the address the master's
 *       advertisements come from, at the witness port. It sends a hello; the master answers with
 *       its own hello, which names its role. Only a hello as MASTER from the node id the backup
 *       follows, echoing the backup's nonce, <em>attests</em> the connection. A member that is not
 *       master answers with its hello and a goodbye and closes.
 *   <li>Whoever closes a connection on purpose sends an authenticated goodbye first: a backup that
 *       follows another master or leaves BACKUP, a master that leaves MASTER (step-down, FAULT,
 *       {@code stop()}), a master whose handling of a connection failed.
 *   <li>When an attested connection ends with END_OF_STREAM or RESET and no goodbye came, the
 *       backup probes the master's witness endpoint (a fresh, unkeyed connection without data,
 *       {@link io.ha4j.heartbeat.HeartbeatConfig#witnessProbeTimeout()}, default 10 ms). Only
 *       REFUSED, the master's kernel answering that nothing listens there, concludes: the master's
 *       process died. Then the backup takes over through the election's own path (the
 *       master-down timer set short, then {@code promote}: the before-master hook, the VIP add,
 *       the gratuitous ARP, the advertisement, all as after a timer; the warm-up's path). ACCEPTED,
 *       TIMED_OUT, UNREACHABLE, or a close by TIMED_OUT or FAILED, conclude nothing.
 *   <li>After any end the backup connects again, with a backoff from 10 ms doubling to the
 *       advertisement interval (at most 1 s), on the scheduler.
 * </ul>
 *
 * <p><b>Stagger.</b> Every backup that watches the master concludes; each takes over after {@code
 * (255 - priority) * witnessStagger} (default 50 us: priority 200 waits 2.75 ms, 100 waits 7.75
 * ms), and a new master's advertisement heard meanwhile re-arms its master-down timer instead, as
 * the RFC's skew time does after a priority-0 advertisement. So the highest priority goes first and
 * the others only when it did not announce within the difference. Priorities closer than the
 * time a take-over takes to be heard (about 1 ms on a LAN: 20 steps) may both take over; the
 * election then ends with the higher one within an advertisement, as after two master-down timers
 * that ran out together.
 *
 * <p><b>Bound.</b> From the kill to the take-over: the kernel's close (it frees the process's
 * memory first: 3-4 ms for a 64 MiB heap, 20-27 ms for 256 MiB pre-touched, measured), one-way
 * delay, the probe's round trip, the stagger, the take-over itself. Far below the Master_Down
 * interval ({@code 3 * interval + skew}) at any interval ha4j allows.
 *
 * <h2>Messages</h2>
 *
 * <p>One message per transport message; integers big-endian; the HMAC is the heartbeat's
 * (HMAC-SHA-256 with the key named by the key id; the same keys, rollover and retirement):
 *
 * <pre>
 * offset size field
 *  0     4    magic, ASCII "HA4W"
 *  4     1    version, 1
 *  5     1    key id
 *  6     1    group id
 *  7     1    kind: 1 hello, 2 goodbye
 *  8     4    cluster id
 * 12     1    the sender's role: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT
 * 13     1    n = length of the node id (1..64)
 * 14     2    reserved, 0
 * 16     8    the sender's incarnation
 * 24    16    nonce: the sender's random bytes for this connection
 * 40    16    echo: the peer's nonce from its hello (zeros before it was heard)
 * 56     n    node id, UTF-8
 * 56+n  32    HMAC-SHA-256 over bytes 0 .. 56+n-1
 * </pre>
 *
 * <p>A message that is malformed, of another cluster or group, signed with an unknown, wrong or
 * retired key, under our own node id, or that does not echo our nonce (a replay from another
 * connection: {@code BAD_PROOF}) is counted per {@link io.ha4j.heartbeat.DropReason} and dropped;
 * it changes nothing. A master keeps at most 256 connections.
 *
 * <h2>The cases, and the conclusion each gives</h2>
 *
 * <ol>
 *   <li><b>The master's process dies, its host stays up</b> (kill -9, the OOM killer, a JVM crash,
 *       a segfault, an operator's slip): its kernel closes its connections (FIN, or RST when data
 *       was unread) without a goodbye, and refuses the probe: <b>take-over</b> after the stagger.
 *   <li><b>A reset injected by a middlebox or an attacker while the master lives</b>: with keyed
 *       connections (TCP-MD5 on Linux) a segment without the key's signature never reaches the
 *       connection: no close, <b>nothing</b>. If a close does arrive (a transport without keys, or
 *       the close came from the master's own kernel for another reason), the probe reaches a live
 *       master, ACCEPTED: <b>nothing</b>, and the backup reconnects. A forged reset for the probe
 *       alone does nothing, because a probe is sent only after an unannounced close of the keyed
 *       connection; forging both needs the key.
 *   <li><b>A master whose witness thread died</b> (or its transport hangs): a hung transport keeps
 *       the connections open and its listener still accepts: no close, and a probe would be
 *       ACCEPTED: <b>nothing</b>. The master keeps advertising and stays master; if its whole
 *       process hangs, the Master_Down <b>timer</b> decides. On Linux the witness sockets live in
 *       the poll thread's own descriptor table (so that a killed process's close comes before the
 *       kernel frees its memory), and a thread that ended would take them along: the poll thread
 *       therefore never ends on a failure (it logs it and polls on) and runs no foreign code, so
 *       only {@code close()} or the death of the process ends it.
 *   <li><b>A JVM that exits normally</b>: {@code stop()} (the director's shutdown hook) sends the
 *       priority-0 advertisement and a goodbye on every witness connection before the transport
 *       is closed: the close after a goodbye concludes <b>nothing</b>, and the priority-0
 *       advertisement hands over after the skew time as today. Close the {@code WitnessTransport}
 *       only after the election's {@code stop()}: a process that keeps running as master with its
 *       witness endpoint closed would be taken for dead. (An exit that skips {@code stop()} is a
 *       death: the process is gone, and a take-over is right.)
 *   <li><b>A host that reboots fast</b>: the crash sends nothing; the connection stays open on the
 *       backup, silent. The rebooted kernel knows nothing of it and answers a segment of it with a
 *       reset that carries no key signature: dropped by the backup's kernel, no close, the
 *       <b>timer</b> decides. (Without keys the reset arrives, and the probe decides: ACCEPTED if
 *       the new process listens already, nothing; REFUSED if not, a take-over, which is right:
 *       the master is not running.) When the rebooted member is master again, its advertisements
 *       carry a new (proven) incarnation, unlike the watched hello's: the backup ends the stale
 *       watch and watches the new process, whose death it then witnesses.
 *   <li><b>A host that crashes or is cut off</b> (power, panic, link down, partition): no close,
 *       or a close by TIMED_OUT after the retransmissions; a probe would time out: <b>nothing</b>,
 *       the <b>timer</b> decides.
 *   <li><b>A master restarted within milliseconds</b> (a supervisor): the old process's close comes
 *       without a goodbye, but the probe finds the new process listening, ACCEPTED: <b>nothing</b>.
 *       The new process starts as a backup, its hello says so, and the backup watches it again
 *       once it advertises as master (a new incarnation: a new watch); until then the RFC's
 *       rules decide as today.
 *   <li><b>A master that closes a witness connection without a goodbye because of a bug</b>: must
 *       not happen: every close of its own goes through one method that sends the goodbye first,
 *       and a connection is attested only by a master that answers. If the goodbye cannot be sent
 *       the connection is closed all the same, and the probe finds the living process listening:
 *       ACCEPTED, <b>nothing</b>. A bug costs the fast take-over, never a false one, as long as
 *       the listener lives with the process.
 *   <li><b>A master that is no longer master, and backups that change masters</b>: leaving MASTER
 *       it says goodbye on every connection; a member that is not master answers a hello with its
 *       role and a goodbye, so it is never watched; a backup that hears another master closes its
 *       watch with a goodbye and watches the new one; a verdict counts only while the backup is
 *       BACKUP and still watches that master: <b>nothing</b> is concluded about a former master.
 *   <li><b>A master without a witness</b> (the option off, an older version, a wrong port): its
 *       endpoint refuses the connection or never says hello as MASTER, so the connection is never
 *       attested and its end concludes <b>nothing</b>; the backup retries with its backoff, and
 *       the <b>timer</b> decides as today.
 *   <li><b>A backup that stalls</b> (GC pause): the close waits in its queue; when it runs, the
 *       probe asks the kernel now, so a stale close of a master that came back is ACCEPTED.
 * </ol>
 *
 * <p>In every case that is not a dead process, the witness either concludes nothing or needs the
 * heartbeat key, so it adds no way to make two masters that an attacker on the path without the
 * key could use; with the key, one can already forge a priority-0 advertisement.
 */
@NullMarked
package io.ha4j.heartbeat.witness;

import org.jspecify.annotations.NullMarked;
