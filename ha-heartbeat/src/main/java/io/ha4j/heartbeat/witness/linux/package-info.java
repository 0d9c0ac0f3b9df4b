/**
 * The death witness's transport on Linux: {@link io.ha4j.heartbeat.witness.linux.LinuxWitnessTransport},
 * TCP connections signed with RFC 2385 keys ({@code TCP_MD5SIG}), whose end the peer's kernel reports.
 *
 * <p>What the kernels do, as the netns tests ({@code WitnessNetnsIT}) see it:
 * <ul>
 *   <li><b>kill -9</b> of the listening process: its kernel closes the connection (FIN, now and then
 *       a reset), then a probe is REFUSED. With the sockets in the process's shared descriptor
 *       table the close comes only after the kernel has freed the JVM's memory: 4-10 ms after the
 *       kill with the director's heap, 20-60 ms with a 256 MiB pre-touched one. The poll thread
 *       therefore keeps them in a table of its own, which its own exit closes at once: 0.7-6.4 ms
 *       with the director's heap, median 3.2 ms with the 256 MiB one (5 runs each, on a loaded
 *       machine).
 *   <li><b>Normal exit</b>: the same close; only the election's goodbye, sent before, tells it apart.
 *   <li><b>An injected reset</b> (nftables {@code reject with tcp reset}): carries no signature and
 *       the kernel drops it; the connection lives on. Without the key it ends the connection (RESET).
 *   <li><b>Host death</b> (link down): nothing arrives; the probe times out; the connection ends
 *       only by the keep-alive and {@code TCP_USER_TIMEOUT} (TIMED_OUT, about 5 s), which the
 *       election does not take for a death.
 *   <li><b>A live ha4j listener</b> drops the probe's unsigned SYN (it holds a key for the prober's
 *       address), so the probe of a live peer ends TIMED_OUT, not ACCEPTED: both conclude nothing.
 *   <li><b>An early probe</b>: when a connection this side opened ends from the peer's side (FIN
 *       or reset), the poll thread probes the peer at once, and the election's own probe, asked
 *       after the close went through the relay and the election's scheduler, takes that answer
 *       (given within the last 100 ms, after the latest close) or waits for it. The election still
 *       decides, and only after an unannounced close.
 *   <li><b>Order of a dying process's closes</b>: the listener holds the highest descriptor number,
 *       which the kernel releases first, so that it is gone before the connection's FIN arrives;
 *       the probe also sends a fresh SYN every 5 ms within its timeout.
 * </ul>
 */
@NullMarked
package io.ha4j.heartbeat.witness.linux;

import org.jspecify.annotations.NullMarked;
