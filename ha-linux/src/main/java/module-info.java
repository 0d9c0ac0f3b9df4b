/**
 * ha4j's native layer for Linux, shared by every native module: the netlink core ({@code
 * io.ha4j.netlink}: a family-agnostic codec, request engine, socket and network-namespace runner,
 * used by the IPVS family and by rtnetlink), the errno table and the native availability check
 * ({@code io.ha4j.linux}), and the one JNA binding of libc ({@code io.ha4j.linux.internal}, for
 * ha4j's own modules only).
 */
module io.ha4j.linux {
  requires transitive io.ha4j.api;
  requires com.sun.jna;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.ha4j.netlink;
  exports io.ha4j.netlink.linux;
  exports io.ha4j.linux;
  exports io.ha4j.linux.internal to io.ha4j.ipvs, io.ha4j.vip, io.ha4j.heartbeat, io.ha4j.warmup;
  // JNA builds the binding's proxy and reads and writes the fields of its Structures reflectively.
  opens io.ha4j.linux.internal to com.sun.jna;
}
