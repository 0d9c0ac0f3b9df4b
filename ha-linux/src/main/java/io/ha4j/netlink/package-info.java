/**
 * A family-agnostic netlink core: message and attribute codec over {@link java.nio.ByteBuffer}
 * ({@link io.ha4j.netlink.MessageBuilder}, {@link io.ha4j.netlink.NetlinkMessage},
 * {@link io.ha4j.netlink.Attributes}), a request engine that checks sequence numbers and port ids
 * ({@link io.ha4j.netlink.NetlinkConnection}), the generic netlink controller
 * ({@link io.ha4j.netlink.GenericNetlink}) and a transport seam
 * ({@link io.ha4j.netlink.NetlinkTransport}) with a Linux socket behind it
 * ({@link io.ha4j.netlink.NetlinkSocket}).
 */
@NullMarked
package io.ha4j.netlink;

import org.jspecify.annotations.NullMarked;
