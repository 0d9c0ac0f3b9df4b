/**
 * A fake Linux IPVS kernel that speaks netlink bytes ({@link io.ha4j.testkit.ipvs.FakeIpvsKernel}),
 * with the kernel's errno values, defaults, multi-part dumps and injectable faults.
 */
@NullMarked
package io.ha4j.testkit.ipvs;

import org.jspecify.annotations.NullMarked;
