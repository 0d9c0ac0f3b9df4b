/**
 * IPVS (the Linux virtual server table) over generic netlink: {@link io.ha4j.ipvs.IpvsClient}
 * implements {@link io.ha4j.api.table.LoadBalancerTable} and the whole IPVS command set;
 * {@link io.ha4j.ipvs.Ipvs} says whether it can run here.
 */
@NullMarked
package io.ha4j.ipvs;

import org.jspecify.annotations.NullMarked;
