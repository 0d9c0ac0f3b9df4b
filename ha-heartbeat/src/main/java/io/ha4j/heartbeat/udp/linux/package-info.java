/**
 * The UDP heartbeat transport on Linux through JNA, with the kernel's receive timestamps: {@link
 * io.ha4j.heartbeat.udp.linux.LinuxUdpTransport}.
 */
@NullMarked
package io.ha4j.heartbeat.udp.linux;

import org.jspecify.annotations.NullMarked;
