/**
 * IPVS over generic netlink: {@code io.ha4j.ipvs} is the IPVS family and the kernel {@link
 * io.ha4j.api.table.LoadBalancerTable}, {@code io.ha4j.ipvs.ipvsadm} an ipvsadm-compatible
 * front end. The netlink core it speaks through is ha-linux's {@code io.ha4j.netlink}.
 */
module io.ha4j.ipvs {
  requires transitive io.ha4j.api;
  requires transitive io.ha4j.linux;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.ha4j.ipvs;
  exports io.ha4j.ipvs.ipvsadm;
}
