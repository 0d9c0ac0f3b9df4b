/**
 * IPVS over generic netlink, and the netlink core it stands on.
 *
 * <p>{@code io.ha4j.netlink} is a family-agnostic netlink codec, request engine and socket, reused
 * by {@code ha-vip} for rtnetlink; {@code io.ha4j.ipvs} is the IPVS family and the kernel
 * {@link io.ha4j.api.table.LoadBalancerTable}. JNA stays in the unexported {@code linux} package.
 */
module io.ha4j.ipvs {
  requires transitive io.ha4j.api;
  requires com.sun.jna;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.ha4j.netlink;
  exports io.ha4j.ipvs;
  exports io.ha4j.ipvs.ipvsadm;
  // JNA reads and writes the fields of our Structures reflectively.
  opens io.ha4j.netlink.linux to com.sun.jna;
}
