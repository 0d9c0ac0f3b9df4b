/**
 * An ipvsadm work-alike over {@link io.ha4j.ipvs.IpvsClient}: {@link io.ha4j.examples.ipvs.IpvsCli}
 * with ipvsadm's flags and output ({@link io.ha4j.examples.ipvs.IpvsadmFormat}).
 */
@NullMarked
package io.ha4j.examples.ipvs;

import org.jspecify.annotations.NullMarked;
