/** What the native heartbeat sockets (raw VRRP, timestamped UDP) share over ha-linux's libc binding; not exported. */
@NullMarked
package io.ha4j.heartbeat.linux.internal;

import org.jspecify.annotations.NullMarked;
