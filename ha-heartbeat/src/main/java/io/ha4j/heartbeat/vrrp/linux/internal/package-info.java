/** JNA binding of the raw VRRP socket; not exported. */
@NullMarked
package io.ha4j.heartbeat.vrrp.linux.internal;

import org.jspecify.annotations.NullMarked;
