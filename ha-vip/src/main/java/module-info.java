/**
 * ha4j virtual IP ownership on Linux: addresses added and removed through rtnetlink, announced with
 * gratuitous ARP and unsolicited neighbour advertisements, watched through rtnetlink notifications.
 *
 * <p>{@code io.ha4j.vip} holds the platform-neutral owner and its settings, {@code io.ha4j.vip.codec}
 * the pure byte codecs (used by the testkit's fake kernel), {@code io.ha4j.vip.linux} the kernel
 * access over ha-linux's netlink core and libc binding, and its availability check.
 */
module io.ha4j.vip {
  requires static org.jspecify;
  requires transitive io.ha4j.api;
  // The netlink core: its messages and transports are in this module's API.
  requires transitive io.ha4j.linux;
  requires org.slf4j;
  requires com.sun.jna;

  exports io.ha4j.vip;
  exports io.ha4j.vip.codec;
  exports io.ha4j.vip.linux;
}
