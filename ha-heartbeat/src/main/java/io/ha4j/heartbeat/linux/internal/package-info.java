/** JNA binding of the native heartbeat sockets (raw VRRP, timestamped UDP) and what they share; not exported. */
@NullMarked
package io.ha4j.heartbeat.linux.internal;

import org.jspecify.annotations.NullMarked;
