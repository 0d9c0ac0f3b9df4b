/** JNA bindings and sockets behind {@code io.ha4j.vip.linux}; not exported. */
@NullMarked
package io.ha4j.vip.linux.internal;

import org.jspecify.annotations.NullMarked;
