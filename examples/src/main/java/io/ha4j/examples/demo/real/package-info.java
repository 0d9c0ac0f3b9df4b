/**
 * The LVS cluster for real: {@link io.ha4j.examples.demo.real.LvsTopology} builds it in network
 * namespaces on one bridge (a client, directors running {@link
 * io.ha4j.director.DirectorMain} as separate JVMs with IPVS in direct-routing mode, and
 * real servers running {@code busybox httpd}), and {@link io.ha4j.examples.demo.real.ClientLoop}
 * asks the virtual address who answers, one fresh connection at a time, and says how long the
 * client saw no answer. Needs root and a kernel with ip_vs (the project's kernel VM has one); the
 * end-to-end kernel test and {@code demo --real} both use it.
 */
@NullMarked
package io.ha4j.examples.demo.real;

import org.jspecify.annotations.NullMarked;
