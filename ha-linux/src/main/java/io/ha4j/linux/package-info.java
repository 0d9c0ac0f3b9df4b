/**
 * What every native ha4j module shares apart from netlink: the errno table and whether native code
 * can run here at all. The libc binding itself is in the unexported {@code internal} package.
 */
@NullMarked
package io.ha4j.linux;

import org.jspecify.annotations.NullMarked;
