/**
 * The death witness's transport on Linux: {@link io.ha4j.heartbeat.witness.linux.LinuxWitnessTransport},
 * TCP connections signed with RFC 2385 keys, whose end the peer's kernel reports.
 */
@NullMarked
package io.ha4j.heartbeat.witness.linux;

import org.jspecify.annotations.NullMarked;
