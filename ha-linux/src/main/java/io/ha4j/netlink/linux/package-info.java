/**
 * The netlink socket over the libc binding: AF_NETLINK sockets and entering a network namespace
 * with setns. Behind {@link io.ha4j.netlink.NetlinkSocket}; ha-vip's notification socket shares it.
 */
@NullMarked
package io.ha4j.netlink.linux;

import org.jspecify.annotations.NullMarked;
