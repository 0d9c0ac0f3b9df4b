/** The only place JNA is used: libc calls on AF_NETLINK sockets and setns. Not exported. */
@NullMarked
package io.ha4j.netlink.linux;

import org.jspecify.annotations.NullMarked;
