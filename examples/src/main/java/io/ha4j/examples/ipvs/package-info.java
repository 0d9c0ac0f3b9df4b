/**
 * An ipvsadm work-alike over {@link io.ha4j.ipvs.IpvsClient}: {@link io.ha4j.examples.ipvs.IpvsCli}
 * runs {@link io.ha4j.ipvs.ipvsadm.Ipvsadm} (ipvsadm's flags and output) from the command line.
 */
@NullMarked
package io.ha4j.examples.ipvs;

import org.jspecify.annotations.NullMarked;
